/** The client processes of one scenario: spawn, hand out clients, collect reports, stop. */
import { fork, type ChildProcess } from 'node:child_process';
import type { TClientProcessConfig, TClientSpec, TFromClient, TJoined, TProbeResult, TToClient } from './ipc';
import type { LatencyMatcher } from './stats';

interface TWorker {
  child: ChildProcess;
  ready: Promise<void>;
  stopped: Promise<void>;
}

/**
 * Starts a bundled client script (.mjs) as its own process, spoken to over IPC (structured clone:
 * typed arrays pass as they are). Plain node, not the orchestrator's tsx loader; BENCH_CLIENT_EXEC_ARGV
 * adds flags, e.g. --cpu-prof. `args` stays small: a command line holds ~128 KiB at most, so what
 * grows with the population (cookies) goes over IPC.
 */
export function forkClientProcess(entry: string, args: readonly string[] = []): ChildProcess {
  const execArgv = (process.env.BENCH_CLIENT_EXEC_ARGV ?? '').split(' ').filter(Boolean);
  return fork(entry, args, { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

export class ClientPool {
  private readonly workers: TWorker[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, (value: TJoined[] | TProbeResult[]) => void>();
  readonly problems: string[] = [];
  edits = 0;

  constructor(
    entry: string,
    count: number,
    config: TClientProcessConfig,
    private readonly matcher: LatencyMatcher,
  ) {
    for (let i = 0; i < count; i++) {
      const child = forkClientProcess(entry, [JSON.stringify(config)]);
      let markReady: () => void = () => undefined;
      let markStopped: () => void = () => undefined;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      const stopped = new Promise<void>((resolve) => (markStopped = resolve));
      child.on('message', (message: TFromClient) => {
        switch (message.t) {
          case 'ready':
            markReady();
            break;
          case 'report':
            this.matcher.addSends(message.sends);
            this.matcher.addArrivals(message.arrivals);
            this.edits += message.edits;
            if (this.problems.length < 1000) this.problems.push(...message.problems.slice(0, 1000 - this.problems.length));
            break;
          case 'joined':
            this.waiting.get(message.id)?.(message.joined);
            this.waiting.delete(message.id);
            break;
          case 'probed':
            this.waiting.get(message.id)?.(message.results);
            this.waiting.delete(message.id);
            break;
          case 'stopped':
            markStopped();
            break;
        }
      });
      child.once('exit', () => {
        markReady();
        markStopped();
      });
      this.workers.push({ child, ready, stopped });
    }
  }

  ready(): Promise<void> {
    return Promise.all(this.workers.map((w) => w.ready)).then(() => undefined);
  }

  pids(): number[] {
    return this.workers.map((w) => w.child.pid ?? 0).filter((pid) => pid > 0);
  }

  private post(worker: TWorker, message: TToClient): void {
    if (worker.child.connected) worker.child.send(message);
  }

  /** Adds clients; each goes to process `index % count`. Resolves with every join's outcome. */
  async add(specs: readonly TClientSpec[]): Promise<TJoined[]> {
    const byWorker = new Map<number, TClientSpec[]>();
    for (const spec of specs) {
      const w = spec.index % this.workers.length;
      byWorker.set(w, [...(byWorker.get(w) ?? []), spec]);
    }
    const results = await Promise.all(
      [...byWorker].map(([w, clients]) => {
        const id = this.nextId++;
        const worker = this.workers[w];
        if (!worker) return Promise.resolve([] as TJoined[]);
        return new Promise<TJoined[]>((resolve) => {
          this.waiting.set(id, resolve as (value: TJoined[] | TProbeResult[]) => void);
          this.post(worker, { t: 'add', id, clients });
        });
      }),
    );
    return results.flat();
  }

  typing(on: boolean): void {
    for (const worker of this.workers) this.post(worker, { t: 'typing', on });
  }

  probe(count: number, spec: Extract<TToClient, { t: 'probe' }>['spec']): Promise<TProbeResult[]> {
    const worker = this.workers[0];
    if (!worker) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise<TProbeResult[]>((resolve) => {
      this.waiting.set(id, resolve as (value: TJoined[] | TProbeResult[]) => void);
      this.post(worker, { t: 'probe', id, count, spec });
    });
  }

  /** Asks every process to send its last report, close its clients and exit; kills stragglers. */
  async stop(): Promise<void> {
    for (const worker of this.workers) this.post(worker, { t: 'stop' });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
    await Promise.race([Promise.all(this.workers.map((w) => w.stopped)), timeout]);
    for (const worker of this.workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        await Promise.race([new Promise((resolve) => worker.child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
        if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      }
    }
  }
}
