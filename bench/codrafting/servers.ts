/**
 * Starting and stopping the servers under test as child processes (loopback, port 0), the way
 * tests/helpers/server.ts starts ours.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The composed server as `npm run build` leaves it and `npm start` runs it. */
export const BUILT_SERVER_ENTRY = path.join(ROOT, 'dist', 'server', 'index.js');

/**
 * A copy of the built server in `dir` (the whole of dist/server: its entry and the chunks it loads
 * lazily), returning the copy's entry. The working tree may be shared and rebuilt during a run (with
 * other migrations): every start of one run then uses the same code. The copy imports no other local
 * file, and finds the project root (.next, package.json) by walking up from where it lies.
 */
export function copyBuiltServer(dir: string): string {
  if (!fs.existsSync(BUILT_SERVER_ENTRY)) throw new Error('dist/server/index.js is missing: run `npm run build` (or `npm start`) first');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.dirname(BUILT_SERVER_ENTRY), dir, { recursive: true });
  return path.join(dir, path.basename(BUILT_SERVER_ENTRY));
}

export interface TServerProcess {
  pid: number;
  port: number;
  /** The last part of what it printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Servers still running: if the orchestrator ends abruptly, they end with it (bounded run, nothing left behind). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns `node <flags> <entry>`, waits for {"event":"server.listening","port":N}, keeps draining its
 * output. `nodeFlags`: how the server is meant to run (ours: as `npm start` runs it).
 */
export async function startNodeServer(entry: string, env: Record<string, string>, nodeFlags: readonly string[] = [], timeoutMs = 90_000): Promise<TServerProcess> {
  // BENCH_SERVER_EXEC_ARGV adds node flags for diagnosis, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const execArgv = [...nodeFlags, ...(process.env.BENCH_SERVER_EXEC_ARGV ?? '').split(' ').filter(Boolean)];
  const child: ChildProcess = spawn(process.execPath, [...execArgv, entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  // Keep reading (a full pipe would block the server), keep only the tail.
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = output.match(/"event":"server\.listening","port":(\d+)/);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before listening:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    pid: child.pid ?? 0,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Bundles bench scripts that run as their own Node processes (clients, a peer server) into `outdir` as .mjs. */
export async function bundleScripts(entryPoints: Record<string, string>, outdir: string): Promise<void> {
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}

/** The checked-out commit, short, as the results name the code they measured; null outside a git checkout. */
export function gitHead(): string | null {
  try {
    // git itself, not .git/HEAD: in a worktree .git is a file, and a ref may be packed.
    return execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
