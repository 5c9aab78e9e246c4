/**
 * Session-room benchmark (issue 4): 200 participants (50 delegations × 4) in client processes
 * separate from the server, on loopback; the chair, in this process, changes the floor.
 *
 *   npm run bench:session                       # full run, records bench/RESULTS.md
 *   npm run bench:session -- --floor-changes 20 # smoke run (fewer than 50 changes: RESULTS.md left alone)
 *
 * Floor: the chair gives the floor directly to one delegation after another (each change ends the
 * running speech and starts the next: three events, one command); the latency of a change is the
 * time from the chair sending it to the arrival of its last event at a participant; every
 * (change, participant) pair counts, and one that never arrives counts as infinitely late.
 *
 * Ballots: the chair puts a roll-call majority question; the 50 heads vote within one second (at
 * random moments), a fifth of them sending their ballot a second time with the same client message
 * id as a client retrying would; each ballot's acknowledgement time is measured, the log must hold
 * exactly one ballot per delegation; then the chair closes the vote and the result's arrival at
 * every participant is timed from the chair's command.
 *
 * Times are `performance.timeOrigin + performance.now()`, comparable across processes on one machine.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import type { TCommandAck } from '../../lib/session/room/commands';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../lib/shared/protocol';
import { socketParser } from '../../lib/shared/socket-parser';
import { now } from '../codrafting/adapters/types';
import { ProcSampler, processTree } from '../codrafting/proc';
import { loopbackAddress, signInAll } from '../codrafting/proxenia-setup';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';
import { bundleScripts, gitHead, ROOT, startNodeServer, type TServerProcess } from '../codrafting/servers';
import { Histogram } from '../codrafting/stats';
import type { TClientConfig, TFromSessionClient, TPlannedCommand, TToSessionClient } from './client-process';
import { prepareAssembly, type TAssembly } from './setup';

const { values: flags } = parseArgs({
  options: {
    delegations: { type: 'string', default: '50' },
    'per-delegation': { type: 'string', default: '4' },
    'floor-changes': { type: 'string', default: '100' },
    'interval-ms': { type: 'string', default: '300' },
    processes: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const options = {
  delegations: Number(flags.delegations),
  perDelegation: Number(flags['per-delegation']),
  floorChanges: Number(flags['floor-changes']),
  intervalMs: Number(flags['interval-ms']),
  processes: Number(flags.processes),
};

const HERE = import.meta.dirname;
const BUILD_DIR = path.join(ROOT, 'node_modules', '.cache', 'proxenia-session-bench');
const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');
const SERVER_ENTRY = path.join(ROOT, 'dist', 'server', 'index.js');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`[session-bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const round = (value: number) => Math.round(value * 100) / 100;

/** A forked process of participants, spoken to over IPC. */
class ParticipantProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (message: TFromSessionClient) => void>();

  constructor(entry: string, config: TClientConfig) {
    this.child = fork(entry, [JSON.stringify(config)], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: TFromSessionClient) => this.waiting.get(message.type)?.(message));
  }

  next<Type extends TFromSessionClient['type']>(type: Type): Promise<Extract<TFromSessionClient, { type: Type }>> {
    return new Promise((resolve) => this.waiting.set(type, resolve as (message: TFromSessionClient) => void));
  }

  tell(message: TToSessionClient): void {
    this.child.send(message);
  }

  stop(): void {
    if (this.child.connected) this.tell({ type: 'stop' });
  }
}

function connectChair(url: string, cookie: string, sessionId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { path: SOCKET_PATH, parser: socketParser, transports: ['websocket'], extraHeaders: { cookie }, auth: { protocol: PROTOCOL_VERSION }, reconnection: false, forceNew: true });
    socket.on('connect_error', reject);
    socket.on('connect', () =>
      socket.emit('session:join', { sessionId }, (ack: { ok: boolean; error?: string }) => (ack.ok ? resolve(socket) : reject(new Error(`chair join: ${ack.error}`)))),
    );
  });
}

let commandCounter = 0;
async function command(socket: Socket, sessionId: string, type: string, input: unknown): Promise<{ ack: TCommandAck; sentAt: number; ackAt: number }> {
  const sentAt = now();
  const ack = (await socket.timeout(10_000).emitWithAck('session:command', { sessionId, clientMsgId: `bench-chair-${(commandCounter += 1)}`, type, input })) as TCommandAck;
  return { ack, sentAt, ackAt: now() };
}

interface TFloorResult {
  participants: number;
  changes: number;
  pairs: number;
  undelivered: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  chairAckP95Ms: number;
  serverCpuPercent: number;
  serverRssMb: number;
}

async function floorChanges(chair: Socket, assembly: TAssembly, processes: ParticipantProcess[], server: TServerProcess): Promise<TFloorResult> {
  const sampler = new ProcSampler(() => processTree(server.pid));
  sampler.start(1000);
  const from = Date.now();
  const changes: { seq: number; sentAt: number }[] = [];
  const chairAcks = new Histogram();
  for (let index = 0; index < options.floorChanges; index += 1) {
    const delegationId = assembly.delegationIds[index % assembly.delegationIds.length] ?? '';
    const { ack, sentAt, ackAt } = await command(chair, assembly.sessionId, 'floor.grant', { delegationId });
    if (!ack.ok) throw new Error(`floor.grant refused: ${ack.error}`);
    changes.push({ seq: ack.seq, sentAt });
    chairAcks.add(ackAt - sentAt);
    await sleep(options.intervalMs);
  }
  await sleep(1000);
  const to = Date.now();
  const cost = sampler.between(from, to);
  sampler.stop();

  const { latencies, participants, undelivered } = await deliveries(processes, changes);
  return {
    participants,
    changes: changes.length,
    pairs: latencies.count,
    undelivered,
    p50Ms: round(latencies.percentile(50)),
    p95Ms: round(latencies.percentile(95)),
    p99Ms: round(latencies.percentile(99)),
    maxMs: round(latencies.max),
    chairAckP95Ms: round(chairAcks.percentile(95)),
    serverCpuPercent: round(cost.cpuPercent),
    serverRssMb: round(cost.rssMaxMb),
  };
}

/** How long each event (by seq) took from its command's sending to each participant. */
async function deliveries(processes: ParticipantProcess[], sent: readonly { seq: number; sentAt: number }[]) {
  const reports = await Promise.all(
    processes.map((process) => {
      const reply = process.next('arrivals');
      process.tell({ type: 'report' });
      return reply;
    }),
  );
  const latencies = new Histogram();
  let participants = 0;
  let undelivered = 0;
  for (const report of reports) {
    for (const arrivals of report.arrivals) {
      participants += 1;
      const arrivedAt = new Map(arrivals);
      for (const { seq, sentAt } of sent) {
        const at = arrivedAt.get(seq);
        if (at === undefined) undelivered += 1;
        latencies.add(at === undefined ? Infinity : at - sentAt);
      }
    }
  }
  return { latencies, participants, undelivered };
}

interface TBallotResult {
  ballots: number;
  retries: number;
  refused: string[];
  storedBallots: number;
  delegationsStoredTwice: number;
  ackP50Ms: number;
  ackP95Ms: number;
  ackMaxMs: number;
  resultP95Ms: number;
  resultMaxMs: number;
  resultUndelivered: number;
}

async function ballotBurst(chair: Socket, assembly: TAssembly, processes: ParticipantProcess[], perProcess: number, sqliteFile: string): Promise<TBallotResult> {
  const put = await command(chair, assembly.sessionId, 'decision.put', {
    subject: { kind: 'procedural', text: 'Shall the bench adjourn after this vote?' },
    method: 'majority',
    ballot: 'roll_call',
  });
  if (!put.ack.ok) throw new Error(`decision.put refused: ${put.ack.error}`);
  const decisionId = put.ack.result?.decisionId ?? '';
  await sleep(500);

  const plans: TPlannedCommand[][] = processes.map(() => []);
  let retries = 0;
  assembly.participants.forEach((participant, index) => {
    if (!participant.isHead) return;
    const command = {
      participant: index % perProcess,
      delayMs: Math.random() * 1000,
      type: 'decision.vote',
      input: { decisionId, choice: index % 3 === 0 ? 'no' : 'yes' },
      clientMsgId: `bench-ballot-${index}`,
    };
    const plan = plans[Math.floor(index / perProcess)];
    plan?.push(command);
    if (index % 5 === 0) {
      // The same ballot again, as a client that saw no acknowledgement would send it.
      plan?.push({ ...command, delayMs: Math.min(999, command.delayMs + 20) });
      retries += 1;
    }
  });
  const sent = await Promise.all(
    processes.map((process, p) => {
      const reply = process.next('sent');
      process.tell({ type: 'send', plan: plans[p] ?? [] });
      return reply;
    }),
  );
  const results = sent.flatMap((message) => message.results);
  const acks = new Histogram();
  for (const result of results) acks.add(result.ackAt - result.sentAt);
  const refused = results.filter((result) => !result.ack.ok).map((result) => (result.ack.ok ? '' : result.ack.error));

  const close = await command(chair, assembly.sessionId, 'decision.close', { decisionId });
  if (!close.ack.ok) throw new Error(`decision.close refused: ${close.ack.error}`);
  await sleep(1000);
  const { latencies, undelivered } = await deliveries(processes, [{ seq: close.ack.seq, sentAt: close.sentAt }]);

  const db = new Database(sqliteFile, { readonly: true });
  let rows: { delegationId: string }[];
  try {
    rows = db
      .prepare(`SELECT json_extract(payload, '$.delegationId') AS delegationId FROM session_events WHERE session_id = ? AND type = 'decision.ballot_cast' AND json_extract(payload, '$.decisionId') = ?`)
      .all(assembly.sessionId, decisionId) as { delegationId: string }[];
  } finally {
    db.close();
  }
  const perDelegation = new Map<string, number>();
  for (const row of rows) perDelegation.set(row.delegationId, (perDelegation.get(row.delegationId) ?? 0) + 1);
  return {
    ballots: results.length - retries,
    retries,
    refused,
    storedBallots: rows.length,
    delegationsStoredTwice: [...perDelegation.values()].filter((count) => count > 1).length,
    ackP50Ms: round(acks.percentile(50)),
    ackP95Ms: round(acks.percentile(95)),
    ackMaxMs: round(acks.max),
    resultP95Ms: round(latencies.percentile(95)),
    resultMaxMs: round(latencies.max),
    resultUndelivered: undelivered,
  };
}

const START = '<!-- session-bench:start -->';
const END = '<!-- session-bench:end -->';

function recordResults(floor: TFloorResult, ballots: TBallotResult, startedAt: Date): void {
  const text = fs.readFileSync(RESULTS_FILE, 'utf8');
  const section = [
    START,
    `Run of ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, proxenia @ ${gitHead() ?? 'unknown'}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average at start ${os.loadavg()[0]?.toFixed(2)}.`,
    '',
    '| measure | Proxenia | target |',
    '| --- | --- | --- |',
    `| floor change → every participant, p50 / p95 / p99 / max (${floor.participants} participants, ${floor.changes} changes) | ${floor.p50Ms} / ${floor.p95Ms} / ${floor.p99Ms} / ${floor.maxMs} ms | p95 ≤ 25 ms |`,
    `| changes that never reached a participant | ${floor.undelivered} of ${floor.pairs} | 0 |`,
    `| chair's acknowledgement p95 | ${floor.chairAckP95Ms} ms | |`,
    `| server CPU (% of one core) / RSS max during the floor changes | ${floor.serverCpuPercent} % / ${floor.serverRssMb} MB | |`,
    `| ballots stored, of ${ballots.ballots} cast within one second (+ ${ballots.retries} retried with the same id) | ${ballots.storedBallots} (delegations stored twice: ${ballots.delegationsStoredTwice}; refused: ${ballots.refused.length ? ballots.refused.join(', ') : 'none'}) | each exactly once |`,
    `| ballot acknowledgement p50 / p95 / max | ${ballots.ackP50Ms} / ${ballots.ackP95Ms} / ${ballots.ackMaxMs} ms | p95 ≤ 50 ms |`,
    `| vote closed → result at every participant, p95 / max | ${ballots.resultP95Ms} / ${ballots.resultMaxMs} ms (undelivered: ${ballots.resultUndelivered}) | ≤ 100 ms |`,
    END,
  ].join('\n');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + END.length) : `${text.trimEnd()}\n\n## Session room (issue 4)\n\n${section}\n`;
  fs.writeFileSync(RESULTS_FILE, next);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error('dist/server/index.js is missing: run `npm run build` first');
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  // The working tree may be rebuilt during the run: every start uses this copy of the server bundle.
  const entry = path.join(BUILD_DIR, 'proxenia-server.mjs');
  fs.copyFileSync(SERVER_ENTRY, entry);
  await bundleScripts({ 'session-client': path.join(HERE, 'client-process.ts') }, BUILD_DIR);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-session-'));
  const env = { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'info' };
  const processes: ParticipantProcess[] = [];
  let server: TServerProcess | undefined;
  let chair: Socket | undefined;
  try {
    log('first start (schema)');
    await (await startNodeServer(entry, env, SERVER_NODE_FLAGS)).stop();
    const sqliteFile = path.join(dataDir, 'proxenia.sqlite');
    const assembly = await prepareAssembly(sqliteFile, options.delegations, options.perDelegation);
    server = await startNodeServer(entry, env, SERVER_NODE_FLAGS);
    const url = `http://127.0.0.1:${server.port}`;
    const cookies = await signInAll(url, [assembly.chair, ...assembly.participants]);
    log(`${cookies.size} signed in; ${assembly.delegationIds.length} delegations`);
    chair = await connectChair(url, cookies.get(assembly.chair.email) ?? '', assembly.sessionId);
    const opened = await command(chair, assembly.sessionId, 'session.set_status', { status: 'live' });
    if (!opened.ack.ok) throw new Error(`opening the session: ${opened.ack.error}`);

    const perProcess = Math.ceil(assembly.participants.length / options.processes);
    for (let p = 0; p < options.processes; p += 1) {
      const slice = assembly.participants.slice(p * perProcess, (p + 1) * perProcess);
      if (!slice.length) continue;
      const participants = slice.map((account, offset) => ({
        cookie: cookies.get(account.email) ?? '',
        localAddress: loopbackAddress(p * perProcess + offset + 1),
      }));
      processes.push(new ParticipantProcess(path.join(BUILD_DIR, 'session-client.mjs'), { url, sessionId: assembly.sessionId, participants }));
    }
    const ready = await Promise.all(processes.map((process) => process.next('ready')));
    const joined = ready.reduce((sum, message) => sum + message.joined, 0);
    const failed = ready.flatMap((message) => message.failed);
    log(`${joined} participants in the room${failed.length ? `; failures: ${failed.join('; ')}` : ''}`);
    if (failed.length) throw new Error('not every participant could join');
    // Attendance events of the arrivals settle before the measured window.
    await sleep(3000);

    const floor = await floorChanges(chair, assembly, processes, server);
    log(`floor: p50 ${floor.p50Ms} ms, p95 ${floor.p95Ms} ms, p99 ${floor.p99Ms} ms, max ${floor.maxMs} ms, undelivered ${floor.undelivered}/${floor.pairs}, chair ack p95 ${floor.chairAckP95Ms} ms, server CPU ${floor.serverCpuPercent} %`);
    const ballots = await ballotBurst(chair, assembly, processes, perProcess, sqliteFile);
    log(
      `ballots: ${ballots.storedBallots} stored of ${ballots.ballots} (+${ballots.retries} retries), ack p95 ${ballots.ackP95Ms} ms, ` +
        `result p95 ${ballots.resultP95Ms} ms, max ${ballots.resultMaxMs} ms${ballots.refused.length ? `, refused: ${ballots.refused.join(', ')}` : ''}`,
    );
    const smoke = options.floorChanges < 50 || options.delegations * options.perDelegation < 200;
    if (flags['no-write'] || (smoke && !flags.write)) log('bench/RESULTS.md left alone (smoke run; --write records it)');
    else {
      recordResults(floor, ballots, startedAt);
      log('bench/RESULTS.md updated');
    }
  } finally {
    chair?.disconnect();
    for (const process of processes) process.stop();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
