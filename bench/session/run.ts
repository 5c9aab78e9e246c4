/**
 * Session-room benchmark (issues 4 and 21): assemblies of member delegations (four people each by
 * default) in client processes separate from the server, on loopback; the chair, in this process,
 * changes the floor and puts a vote. Several sizes run one after another in one run (same machine,
 * same build), each on a fresh server and database.
 *
 *   npm run bench:session                                  # 200, 400 and 2,000 participants; records bench/RESULTS.md
 *   npm run bench:session -- --delegations 500             # 2,000 participants only
 *   npm run bench:session -- --smoke                       # seconds; proves it works, writes nothing (npm test)
 *   npm run bench:session -- --help                        # every option
 *
 * Floor: the chair gives the floor directly to one delegation after another (each change ends the
 * running speech and starts the next: three events, one command); the latency of a change is the
 * time from the chair sending it to the arrival of its last event at a participant; every
 * (change, participant) pair counts, and one that never arrives counts as infinitely late.
 *
 * Ballots: the chair puts a roll-call majority question; every delegation's head votes within one
 * second (at random moments), a fifth of them sending their ballot a second time with the same client
 * message id as a client retrying would; each ballot's acknowledgement time is measured, the log must
 * hold exactly one ballot per delegation; then the chair closes the vote and the result's arrival at
 * every participant is timed from the chair's command.
 *
 * The server is the built bundle (`npm run build`, or the build `npm start` made), copied whole
 * (entry and chunks) so that a rebuild of the working tree during the run changes nothing; the
 * participants' cookies reach the client processes over IPC. Times are
 * `performance.timeOrigin + performance.now()`, comparable across processes on one machine.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import type { TCommandAck } from '../../lib/session/room/commands';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../lib/shared/protocol';
import { socketParser } from '../../lib/shared/socket-parser';
import { parseCommandLine, refuse } from '../../scripts/command-line.mjs';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';
import { now } from '../codrafting/adapters/types';
import { forkClientProcess } from '../codrafting/pool';
import { MachineSampler, ProcSampler, processTree } from '../codrafting/proc';
import { loopbackAddress, signInAll } from '../codrafting/proxenia-setup';
import { bundleScripts, copyBuiltServer, gitHead, ROOT, startNodeServer, type TServerProcess } from '../codrafting/servers';
import { Histogram } from '../codrafting/stats';
import type { TClientConfig, TFromSessionClient, TPlannedCommand, TToSessionClient } from './client-process';
import { prepareAssembly, type TAssembly } from './setup';

const COMMAND = 'npm run bench:session';
const { values: flags } = parseCommandLine({
  command: COMMAND,
  summary: 'The session-room benchmark: floor changes and a ballot burst at one or more assembly sizes, same run, on the built server (`npm run build` first).',
  options: {
    delegations: { type: 'string', value: 'N[,N…]', default: '50,100,500', description: 'member delegations of each assembly measured, one after another' },
    'per-delegation': { type: 'number', default: 4, min: 1, description: 'people per delegation (a head and delegates)' },
    'floor-changes': { type: 'number', default: 100, min: 1, description: 'floor changes measured per assembly' },
    'interval-ms': { type: 'number', default: 300, description: 'between two floor changes' },
    processes: { type: 'number', default: 0, description: 'client processes per assembly (0: one per 200 participants, at least 3)' },
    write: { type: 'boolean', description: 'record a short run (under 50 floor changes or 200 participants) in bench/RESULTS.md too' },
    'no-write': { type: 'boolean', description: 'do not touch bench/RESULTS.md' },
    smoke: {
      type: 'boolean',
      description: 'a run of seconds that only proves the benchmark works (6 delegations of 2, 5 floor changes); writes nothing and fails when a figure is wrong (npm test runs it)',
    },
  },
});

const SMOKE = { delegations: '6', 'per-delegation': 2, 'floor-changes': 5, 'interval-ms': 50, processes: 2 } as const;
const sized = flags.smoke ? { ...flags, ...SMOKE } : flags;
const sizes = sized.delegations.split(',').map((text) => Number(text.trim()));
if (sizes.some((size) => !Number.isInteger(size) || size < 1)) refuse(COMMAND, `--delegations takes whole numbers ≥ 1, comma-separated, not '${sized.delegations}'`);
const options = {
  perDelegation: sized['per-delegation'],
  floorChanges: sized['floor-changes'],
  intervalMs: sized['interval-ms'],
  processes: sized.processes,
};

const HERE = import.meta.dirname;
const BUILD_DIR = path.join(ROOT, 'node_modules', '.cache', 'proxenia-session-bench');
const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`[session-bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const round = (value: number) => Math.round(value * 100) / 100;

/** A forked process of participants, spoken to over IPC (their cookies included: see client-process.ts). */
class ParticipantProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (message: TFromSessionClient) => void>();

  constructor(entry: string, config: TClientConfig) {
    this.child = forkClientProcess(entry);
    this.child.on('message', (message: TFromSessionClient) => this.waiting.get(message.type)?.(message));
    this.tell({ type: 'join', config });
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

/** The chair's connection; `lastSeq` follows the log as the room broadcasts it. */
interface TChair {
  socket: Socket;
  lastSeq: number;
  lastEventAt: number;
}

function connectChair(url: string, cookie: string, sessionId: string): Promise<TChair> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { path: SOCKET_PATH, parser: socketParser, transports: ['websocket'], extraHeaders: { cookie }, auth: { protocol: PROTOCOL_VERSION }, reconnection: false, forceNew: true });
    const chair: TChair = { socket, lastSeq: 0, lastEventAt: Date.now() };
    socket.on('session:events', (message: { events: { seq: number }[] }) => {
      chair.lastSeq = Math.max(chair.lastSeq, ...message.events.map((event) => event.seq));
      chair.lastEventAt = Date.now();
    });
    socket.on('connect_error', reject);
    socket.on('connect', () =>
      socket.emit('session:join', { sessionId }, (ack: { ok: boolean; error?: string }) => (ack.ok ? resolve(chair) : reject(new Error(`chair join: ${ack.error}`)))),
    );
  });
}

/** Waits until the room has broadcast nothing for `quietMs` (the attendance events of the arrivals), at most `maxMs`. */
async function settle(chair: TChair, quietMs: number, maxMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - chair.lastEventAt < quietMs && Date.now() - started < maxMs) await sleep(200);
}

let commandCounter = 0;
async function command(chair: TChair, sessionId: string, type: string, input: unknown): Promise<{ ack: TCommandAck; sentAt: number; ackAt: number }> {
  const sentAt = now();
  const ack = (await chair.socket.timeout(10_000).emitWithAck('session:command', { sessionId, clientMsgId: `bench-chair-${(commandCounter += 1)}`, type, input })) as TCommandAck;
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
  /** The whole machine's busy CPU over the same window (% of one core): the server, the clients and whatever else ran. */
  machineCpuPercent: number;
}

async function floorChanges(chair: TChair, assembly: TAssembly, processes: ParticipantProcess[], server: TServerProcess): Promise<TFloorResult> {
  const sampler = new ProcSampler(() => processTree(server.pid));
  const machine = new MachineSampler();
  sampler.start(1000);
  machine.start(1000);
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
  const machineCpuPercent = machine.busyPercent(from, to);
  sampler.stop();
  machine.stop();

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
    machineCpuPercent: round(machineCpuPercent),
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
    for (const flat of report.arrivals) {
      participants += 1;
      const arrivedAt = new Map<number, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) arrivedAt.set(flat[i] ?? 0, flat[i + 1] ?? 0);
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

async function ballotBurst(chair: TChair, assembly: TAssembly, processes: ParticipantProcess[], perProcess: number, sqliteFile: string): Promise<TBallotResult> {
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

interface TSizeResult {
  delegations: number;
  processes: number;
  /** The machine's 1-minute load average as this size began: how much else ran. */
  loadAverage: number;
  floor: TFloorResult;
  ballots: TBallotResult;
}

/** One assembly of `delegations` on a fresh server and database: sign-ins, joins, floor changes, the ballot burst. */
async function measureAssembly(entry: string, delegations: number): Promise<TSizeResult> {
  const loadAverage = os.loadavg()[0] ?? NaN;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-session-'));
  const env = { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'info' };
  const processes: ParticipantProcess[] = [];
  let server: TServerProcess | undefined;
  let chair: TChair | undefined;
  try {
    log(`${delegations} delegations: first start (schema)`);
    await (await startNodeServer(entry, env, SERVER_NODE_FLAGS)).stop();
    const sqliteFile = path.join(dataDir, 'proxenia.sqlite');
    const assembly = await prepareAssembly(sqliteFile, delegations, options.perDelegation);
    server = await startNodeServer(entry, env, SERVER_NODE_FLAGS);
    const url = `http://127.0.0.1:${server.port}`;
    const cookies = await signInAll(url, [assembly.chair, ...assembly.participants]);
    log(`${cookies.size} signed in; ${assembly.delegationIds.length} delegations`);
    chair = await connectChair(url, cookies.get(assembly.chair.email) ?? '', assembly.sessionId);
    const opened = await command(chair, assembly.sessionId, 'session.set_status', { status: 'live' });
    if (!opened.ack.ok) throw new Error(`opening the session: ${opened.ack.error}`);

    const count = options.processes || Math.max(3, Math.ceil(assembly.participants.length / 200));
    const perProcess = Math.ceil(assembly.participants.length / count);
    for (let p = 0; p < count; p += 1) {
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
    log(`${joined} participants in the room, in ${processes.length} processes${failed.length ? `; failures: ${failed.join('; ')}` : ''}`);
    if (failed.length) throw new Error('not every participant could join');
    // The attendance events of the arrivals settle before the measured window.
    await settle(chair, 2000, 120_000);
    for (const process of processes) process.tell({ type: 'watch', fromSeq: chair.lastSeq + 1 });

    const floor = await floorChanges(chair, assembly, processes, server);
    log(
      `floor: p50 ${floor.p50Ms} ms, p95 ${floor.p95Ms} ms, p99 ${floor.p99Ms} ms, max ${floor.maxMs} ms, undelivered ${floor.undelivered}/${floor.pairs}, ` +
        `chair ack p95 ${floor.chairAckP95Ms} ms, server CPU ${floor.serverCpuPercent} %, machine ${floor.machineCpuPercent} %`,
    );
    const ballots = await ballotBurst(chair, assembly, processes, perProcess, sqliteFile);
    log(
      `ballots: ${ballots.storedBallots} stored of ${ballots.ballots} (+${ballots.retries} retries), ack p95 ${ballots.ackP95Ms} ms, ` +
        `result p95 ${ballots.resultP95Ms} ms, max ${ballots.resultMaxMs} ms${ballots.refused.length ? `, refused: ${ballots.refused.join(', ')}` : ''}`,
    );
    return { delegations, processes: processes.length, loadAverage, floor, ballots };
  } finally {
    chair?.socket.disconnect();
    for (const process of processes) process.stop();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What makes a smoke run fail: figures that say the room lost, doubled or refused something. */
function smokeFailures(results: readonly TSizeResult[]): string[] {
  return results.flatMap(({ delegations, floor, ballots }) => {
    const failures: string[] = [];
    if (floor.undelivered || floor.pairs === 0) failures.push(`${floor.undelivered} of ${floor.pairs} floor changes undelivered`);
    if (ballots.refused.length) failures.push(`ballots refused: ${ballots.refused.join(', ')}`);
    if (ballots.storedBallots !== delegations || ballots.delegationsStoredTwice) failures.push(`${ballots.storedBallots} ballots stored for ${delegations} delegations`);
    if (ballots.resultUndelivered) failures.push(`the result missed ${ballots.resultUndelivered} participants`);
    return failures.map((failure) => `${delegations} delegations: ${failure}`);
  });
}

const START = '<!-- session-bench:start -->';
const END = '<!-- session-bench:end -->';

function recordResults(results: readonly TSizeResult[], startedAt: Date, loadAtStart: number): void {
  const text = fs.readFileSync(RESULTS_FILE, 'utf8');
  const row = (measure: string, cell: (result: TSizeResult) => string, target: string) => `| ${measure} | ${results.map(cell).join(' | ')} | ${target} |`;
  const section = [
    START,
    `Run of ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, proxenia @ ${gitHead() ?? 'unknown'}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average at start ${loadAtStart.toFixed(2)}.`,
    '',
    `| measure | ${results.map((result) => `${result.floor.participants} participants (${result.delegations} delegations, ${result.processes} client processes)`).join(' | ')} | target |`,
    `| --- | ${results.map(() => '---').join(' | ')} | --- |`,
    row('load average (1 min) as this size began', ({ loadAverage }) => loadAverage.toFixed(2), ''),
    row(`floor change → every participant, p50 / p95 / p99 / max (${options.floorChanges} changes)`, ({ floor }) => `${floor.p50Ms} / ${floor.p95Ms} / ${floor.p99Ms} / ${floor.maxMs} ms`, 'p95 ≤ 25 ms at 200 participants'),
    row('changes that never reached a participant', ({ floor }) => `${floor.undelivered} of ${floor.pairs}`, '0'),
    row("chair's acknowledgement p95", ({ floor }) => `${floor.chairAckP95Ms} ms`, ''),
    row('server CPU (% of one core) / RSS max during the floor changes', ({ floor }) => `${floor.serverCpuPercent} % / ${floor.serverRssMb} MB`, ''),
    row('whole machine busy during the floor changes (% of one core; clients included)', ({ floor }) => `${floor.machineCpuPercent} %`, ''),
    row(
      'ballots stored, of those cast within one second (+ retried with the same id)',
      ({ ballots }) => `${ballots.storedBallots} of ${ballots.ballots} (+ ${ballots.retries}; stored twice: ${ballots.delegationsStoredTwice}; refused: ${ballots.refused.length ? ballots.refused.join(', ') : 'none'})`,
      'each exactly once',
    ),
    row('ballot acknowledgement p50 / p95 / max', ({ ballots }) => `${ballots.ackP50Ms} / ${ballots.ackP95Ms} / ${ballots.ackMaxMs} ms`, 'p95 ≤ 50 ms for 50 ballots, ≤ 100 ms for 100'),
    row('vote closed → result at every participant, p95 / max', ({ ballots }) => `${ballots.resultP95Ms} / ${ballots.resultMaxMs} ms (undelivered: ${ballots.resultUndelivered})`, '≤ 100 ms'),
    END,
  ].join('\n');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + END.length) : `${text.trimEnd()}\n\n## Session room (issue 4)\n\n${section}\n`;
  fs.writeFileSync(RESULTS_FILE, next);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0] ?? NaN;
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const entry = copyBuiltServer(path.join(BUILD_DIR, 'proxenia-server'));
  await bundleScripts({ 'session-client': path.join(HERE, 'client-process.ts') }, BUILD_DIR);
  const results: TSizeResult[] = [];
  for (const delegations of sizes) results.push(await measureAssembly(entry, delegations));
  if (flags.smoke) {
    const failures = smokeFailures(results);
    if (failures.length) throw new Error(`smoke run failed: ${failures.join('; ')}`);
    log('smoke run: every figure sound; nothing recorded');
    return;
  }
  const short = options.floorChanges < 50 || Math.min(...sizes) * options.perDelegation < 200;
  if (flags['no-write'] || (short && !flags.write)) log(`bench/RESULTS.md left alone (${flags['no-write'] ? '--no-write' : 'a short run; --write records it'})`);
  else {
    recordResults(results, startedAt, loadAtStart);
    log('bench/RESULTS.md updated');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
