/**
 * Replay benchmark (issue 6): the automerge-paper editing trace (josephg/editing-traces by Joseph
 * Gentle, CC BY 4.0; ≈260k transactions) imported as a closed session, then:
 *
 * - jump to a random moment: a seq drawn uniformly from the log, each jump on a freshly opened
 *   database connection (empty SQLite page cache; the engine keeps no cache of its own): the
 *   engine's part (`replayStateAt` + the document at that moment + its plain text), and what the
 *   replay API does minus HTTP (`readSessionReplay` as the demo secretariat: per-viewer filter,
 *   blocks with authorship, directory);
 * - the naive baseline in the same run: fold every event from seq 1 and apply every document update
 *   from the first, no checkpoint, for a few random moments (the ratio to the engine's p50);
 * - a full rebuild: the state at the head from nothing (every event folded, every update applied),
 *   and the engine rebuilding its session checkpoints after they were dropped;
 * - storage per event: the log's rows, the document updates, the session and document checkpoints;
 * - the import itself.
 *
 *   npm run bench:replay                      # full run on SQLite, records bench/RESULTS.md
 *   npm run bench:replay -- --postgres        # also on PostgreSQL (TEST_DATABASE_URL or the local one)
 *   npm run bench:replay -- --jumps 20        # a short run (fewer than 200 jumps: RESULTS.md left alone unless --write)
 *   npm run bench:replay -- --smoke           # seconds, on a short trace; proves it works, writes nothing (npm test)
 *   npm run bench:replay -- --help            # every option
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import * as Y from 'yjs';
import type { Database } from '../../lib/db';
import { migrate } from '../../lib/db/migrations';
import { openPostgres } from '../../lib/db/postgres';
import { findUserByEmail } from '../../lib/db/repositories/people';
import { listSessionEvents } from '../../lib/db/repositories/sessions';
import { openSqlite } from '../../lib/db/sqlite';
import { documentPlainText } from '../../lib/documents/base-text';
import { demoAccounts } from '../../lib/server/demo-seed';
import { toRoomEvent } from '../../lib/server/sessions/read-session-record';
import { documentAtReplay, rebuildReplay, replayStateAt } from '../../lib/server/sessions/replay/replay-engine';
import { readSessionReplay } from '../../lib/server/sessions/replay/read-session-replay';
import { importEditingTrace, type TTraceImport } from '../../lib/server/traces/import-trace';
import { emptyReplayState, foldReplay } from '../../lib/session/replay/replay-state';
import { parseCommandLine, refuse } from '../../scripts/command-line.mjs';
import { gitHead, ROOT } from '../codrafting/servers';
import { Histogram } from '../codrafting/stats';

const COMMAND = 'npm run bench:replay';
const { values: flags } = parseCommandLine({
  command: COMMAND,
  summary: 'The replay benchmark: an editing trace imported as a closed session, then random jumps, the naive baseline, a full rebuild and storage per event.',
  options: {
    trace: { type: 'string', value: 'FILE', default: path.resolve(ROOT, 'vendor', 'editing-traces', 'automerge-paper.json.gz'), description: 'the editing trace (.json.gz)' },
    jumps: { type: 'number', default: 200, min: 1, description: 'random moments jumped to' },
    naive: { type: 'number', default: 20, min: 1, description: 'moments replayed the naive way, from seq 1' },
    seed: { type: 'number', default: 6, description: 'seed of the random moments' },
    postgres: { type: 'boolean', description: 'on PostgreSQL too (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)' },
    write: { type: 'boolean', description: 'record a short run (under 200 jumps) in bench/RESULTS.md too' },
    'no-write': { type: 'boolean', description: 'do not touch bench/RESULTS.md' },
    smoke: {
      type: 'boolean',
      description: 'a run of seconds that only proves the benchmark works (the short clownschool trace, 5 jumps, 2 naive replays); writes nothing (npm test runs it)',
    },
  },
});
const SMOKE = { trace: path.resolve(ROOT, 'vendor', 'editing-traces', 'clownschool.json.gz'), jumps: 5, naive: 2 } as const;
const sized = flags.smoke ? { ...flags, ...SMOKE } : flags;
if (!fs.existsSync(sized.trace)) refuse(COMMAND, `no trace at ${sized.trace}`);
const JUMPS = sized.jumps;
const NAIVE = sized.naive;
const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const log = (line: string) => process.stdout.write(`[replay-bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const round = (value: number) => Math.round(value * 100) / 100;
const ms = (from: number) => performance.now() - from;

/** mulberry32: the same moments in every run with the same seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** A new connection to the benchmark's database (a fresh page cache on SQLite). */
  connect(): Database;
  dispose(): Promise<void>;
}

function sqliteBackend(): TBackend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replay-'));
  const file = path.join(dir, 'replay.sqlite');
  return { name: 'SQLite', connect: () => openSqlite(file), dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function postgresBackend(): Promise<TBackend> {
  const schema = `bench_replay_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    name: 'PostgreSQL',
    connect: () => openPostgres(url.toString()),
    async dispose() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

interface TStorage {
  table: string;
  rows: number;
  /** Sum of the stored values' lengths (what the rows hold, before page overhead and indexes). */
  bytes: number;
  /** SQLite only: pages on disk for the table and its indexes (dbstat). */
  diskBytes: number | null;
}

interface TResult {
  backend: TBackend['name'];
  events: number;
  transactions: number;
  parseMs: number;
  importMs: number;
  engine: Histogram;
  api: Histogram;
  naive: Histogram;
  naiveMoments: number;
  fullRebuildMs: number;
  fromNothingMs: number;
  storage: TStorage[];
}

/** A fresh connection, connected before the clock starts (a PostgreSQL pool connects on its first query). */
async function connected(backend: TBackend): Promise<Database> {
  const db = backend.connect();
  await db.get('SELECT 1 AS one');
  return db;
}

/** The engine's jump: what the replay API computes for the document, minus the per-viewer dressing. */
async function engineJump(db: Database, imported: TTraceImport, seq: number): Promise<string> {
  const state = await replayStateAt(db, imported.sessionId, seq);
  const doc = await documentAtReplay(db, imported.documentId, state, 0);
  const text = documentPlainText(doc);
  doc.destroy();
  return text;
}

/** Every stored update of the document up to `documentSeq`, applied in one transaction from an empty document. */
async function documentFromEveryUpdate(db: Database, imported: TTraceImport, documentSeq: number): Promise<string> {
  const rows = await db.all<{ bytes: Uint8Array }>('SELECT update_bytes AS bytes FROM document_updates WHERE document_id = ? AND seq <= ? ORDER BY seq', [imported.documentId, documentSeq]);
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const row of rows) Y.applyUpdate(doc, row.bytes);
  });
  const text = documentPlainText(doc);
  doc.destroy();
  return text;
}

/** Apply everything from the start: every event folded (the generic log query, the record's whole rows), every document update applied, no checkpoint. */
async function naiveJump(db: Database, imported: TTraceImport, seq: number): Promise<string> {
  const state = foldReplay(emptyReplayState(imported.sessionId), (await listSessionEvents(db, imported.sessionId, 0, seq)).map(toRoomEvent));
  return documentFromEveryUpdate(db, imported, state.documentSeqs[imported.documentId] ?? 0);
}

/**
 * The full rebuild: the session's replay checkpoints dropped, then the replay folded from nothing
 * (rebuildReplay, which stores them again), and the document at the head loaded as the document
 * store keeps it (its latest checkpoint and the updates after it).
 */
async function fullRebuild(db: Database, imported: TTraceImport): Promise<{ text: string; ms: number }> {
  await db.run('DELETE FROM session_checkpoints WHERE session_id = ?', [imported.sessionId]);
  const started = performance.now();
  const state = await rebuildReplay(db, imported.sessionId, imported.events);
  const doc = await documentAtReplay(db, imported.documentId, state, 0);
  const text = documentPlainText(doc);
  doc.destroy();
  return { text, ms: ms(started) };
}

async function storageOf(db: Database, imported: TTraceImport, sqlite: boolean): Promise<TStorage[]> {
  const measures = [
    { table: 'session_events', where: 'session_id = ?', id: imported.sessionId, length: 'LENGTH(session_id) + 8 + 8 + COALESCE(LENGTH(user_id), 0) + COALESCE(LENGTH(delegation_id), 0) + COALESCE(LENGTH(role), 0) + LENGTH(type) + LENGTH(payload) + LENGTH(prev_hash) + LENGTH(hash)' },
    { table: 'document_updates', where: 'document_id = ?', id: imported.documentId, length: 'LENGTH(update_bytes)' },
    { table: 'session_checkpoints', where: 'session_id = ?', id: imported.sessionId, length: 'LENGTH(state)' },
    { table: 'document_checkpoints', where: 'document_id = ?', id: imported.documentId, length: 'LENGTH(state_bytes)' },
  ];
  const storage: TStorage[] = [];
  for (const { table, where, id, length } of measures) {
    const row = await db.get<{ rows: number; bytes: number | null }>(`SELECT COUNT(*) AS rows, SUM(${length}) AS bytes FROM ${table} WHERE ${where}`, [id]);
    let diskBytes: number | null = null;
    if (sqlite) {
      // The benchmark's database holds little besides this session: the table's pages and its indexes' are this session's.
      const disk = await db.get<{ bytes: number | null }>(
        `SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = ? OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?)`,
        [table, table],
      );
      diskBytes = Number(disk?.bytes ?? 0);
    }
    storage.push({ table, rows: Number(row?.rows ?? 0), bytes: Number(row?.bytes ?? 0), diskBytes });
  }
  return storage;
}

async function run(backend: TBackend, trace: unknown, parseMs: number, transactions: number): Promise<TResult> {
  const setup = backend.connect();
  await migrate(setup);
  log(`${backend.name}: importing ${transactions} transactions`);
  let started = performance.now();
  const imported = await importEditingTrace(setup, trace, { title: 'automerge-paper' });
  const importMs = ms(started);
  log(`${backend.name}: imported ${imported.events} events in ${round(importMs)} ms`);
  const secretariat = await findUserByEmail(setup, demoAccounts()[0]!.email);
  if (!secretariat) throw new Error('the demo secretariat is missing');
  const storage = await storageOf(setup, imported, backend.name === 'SQLite');
  await setup.close();

  const next = random(sized.seed);
  const moment = () => 1 + Math.floor(next() * imported.events);
  const engine = new Histogram();
  const api = new Histogram();
  for (let jump = 0; jump < JUMPS; jump += 1) {
    const seq = moment();
    const db = await connected(backend);
    try {
      started = performance.now();
      await engineJump(db, imported, seq);
      engine.add(ms(started));
    } finally {
      await db.close();
    }
    const other = await connected(backend);
    try {
      started = performance.now();
      await readSessionReplay(other, secretariat, imported.sessionId, { seq: String(seq) });
      api.add(ms(started));
    } finally {
      await other.close();
    }
  }
  log(`${backend.name}: ${JUMPS} jumps, engine p95 ${round(engine.percentile(95))} ms, readSessionReplay p95 ${round(api.percentile(95))} ms`);

  const db = backend.connect();
  try {
    const naive = new Histogram();
    for (let index = 0; index < NAIVE; index += 1) {
      const seq = moment();
      started = performance.now();
      const text = await naiveJump(db, imported, seq);
      naive.add(ms(started));
      if (text !== (await engineJump(db, imported, seq))) throw new Error(`the naive replay and the engine disagree at seq ${seq}`);
    }
    log(`${backend.name}: naive p50 ${round(naive.percentile(50))} ms over ${NAIVE} moments`);

    const { text: endText, ms: rebuildMs } = await fullRebuild(db, imported);
    if (endText !== (trace as { endContent: string }).endContent) throw new Error('the full rebuild does not give the trace’s endContent');
    // Everything from nothing: the naive replay at the head (every event, every document update from the first).
    started = performance.now();
    if ((await naiveJump(db, imported, imported.events)) !== endText) throw new Error('the replay from nothing and the full rebuild disagree');
    const fromNothingMs = ms(started);
    log(`${backend.name}: full rebuild ${round(rebuildMs)} ms; everything from nothing ${round(fromNothingMs)} ms`);
    return { backend: backend.name, events: imported.events, transactions, parseMs, importMs, engine, api, naive, naiveMoments: NAIVE, fullRebuildMs: rebuildMs, fromNothingMs, storage };
  } finally {
    await db.close();
  }
}

const START = '<!-- replay-bench:start -->';
const END = '<!-- replay-bench:end -->';
const METHOD = `## Replay (issue 6)

Trace: \`automerge-paper.json.gz\` from \`josephg/editing-traces\` by Joseph Gentle (CC BY 4.0,
https://github.com/josephg/editing-traces), imported with \`importEditingTrace\` (the code behind
\`npm run trace:import\`) as a closed session of the demo negotiation: each transaction one document
update and one \`document.updated\` event. Method (\`bench/replay/run.ts\`, \`npm run bench:replay\`): a
fresh database in a temporary directory (PostgreSQL: a schema of its own, with \`--postgres\`). A
*jump* is a seq drawn uniformly from the whole log (fixed seed), measured on a freshly opened
connection, connected before the clock starts (SQLite: empty page cache; the engine keeps no cache
of its own): *engine* =
\`replayStateAt\` (nearest session checkpoint + at most 1000 events through the live reducer) + the
document at that moment (nearest document checkpoint + its updates) + its plain text; *API minus
HTTP* = \`readSessionReplay\` as the demo secretariat (adds the per-viewer filter, the blocks with
authorship and the directory). The *naive* baseline folds every event from seq 1 and applies every
document update from the first, without any checkpoint, at random moments of the same run; its
result is checked against the engine's. *Full rebuild* is what the engine does when its replay
checkpoints are gone: they are deleted, then \`rebuildReplay\` folds every event from seq 1 (20,000
at a time through the replay-only query) and stores them again, and the document at the head is
loaded as the document store keeps it (latest document checkpoint + the updates after it; its text
is checked against the trace's \`endContent\`). *Everything from nothing* also applies every
document update from the first (the naive replay at the head). Storage: the sum of the stored
values' lengths per table for this session, and (SQLite) the table's and its indexes' pages on disk
(dbstat), each per log event.
`;

function section(results: TResult[], startedAt: Date): string {
  const lines = [
    START,
    `Run of ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, proxenia @ ${gitHead() ?? 'unknown'}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average at start ${os.loadavg()[0]?.toFixed(2)} (the machine is shared with other developers' builds and tests).`,
    '',
    `| measure | ${results.map((result) => result.backend).join(' | ')} | target |`,
    `| --- | ${results.map(() => '---').join(' | ')} | --- |`,
  ];
  const row = (label: string, cell: (result: TResult) => string, target = '') => lines.push(`| ${label} | ${results.map(cell).join(' | ')} | ${target} |`);
  const first = results[0]!;
  row('events in the log (transactions in the trace)', (result) => `${result.events} (${result.transactions})`);
  row('import (gunzip + JSON.parse / replay into Yjs + writing, one transaction)', (result) => `${round(result.parseMs)} ms / ${round(result.importMs / 1000)} s`);
  row(`jump to a random moment, engine, p50 / p95 / max (${JUMPS} jumps)`, (result) => `${round(result.engine.percentile(50))} / ${round(result.engine.percentile(95))} / ${round(result.engine.max)} ms`, 'p95 ≤ 50 ms');
  row(`jump to a random moment, readSessionReplay (API minus HTTP), p50 / p95 / max`, (result) => `${round(result.api.percentile(50))} / ${round(result.api.percentile(95))} / ${round(result.api.max)} ms`);
  row(`naive "apply everything from the start", p50 / max (${first.naiveMoments} moments)`, (result) => `${round(result.naive.percentile(50))} / ${round(result.naive.max)} ms`);
  row('naive p50 ÷ engine p50', (result) => `${round(result.naive.percentile(50) / result.engine.percentile(50))} ×`);
  row('full rebuild (replay checkpoints dropped; every event folded again, checkpoints stored; the document as stored)', (result) => `${round(result.fullRebuildMs)} ms`, '≤ 2 s');
  row('everything from nothing (every event, and every document update from the first)', (result) => `${round(result.fromNothingMs)} ms`);
  for (const table of first.storage.map((entry) => entry.table)) {
    row(`storage: ${table} (rows; bytes per event${first.storage[0]?.diskBytes !== null ? '; on disk with indexes per event' : ''})`, (result) => {
      const entry = result.storage.find((candidate) => candidate.table === table)!;
      const perEvent = (bytes: number) => round(bytes / result.events);
      return `${entry.rows}; ${perEvent(entry.bytes)} B${entry.diskBytes === null ? '' : `; ${perEvent(entry.diskBytes)} B`}`;
    });
  }
  lines.push(END);
  return lines.join('\n');
}

function recordResults(results: TResult[], startedAt: Date): void {
  const text = fs.readFileSync(RESULTS_FILE, 'utf8');
  const body = section(results, startedAt);
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next = start >= 0 && end > start ? text.slice(0, start) + body + text.slice(end + END.length) : `${text.trimEnd()}\n\n${METHOD}\n${body}\n`;
  fs.writeFileSync(RESULTS_FILE, next);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const started = performance.now();
  const trace = JSON.parse(gunzipSync(fs.readFileSync(sized.trace)).toString('utf8')) as { txns: unknown[] };
  const parseMs = ms(started);
  const backends = [sqliteBackend(), ...(flags.postgres ? [await postgresBackend()] : [])];
  const results: TResult[] = [];
  try {
    for (const backend of backends) results.push(await run(backend, trace, parseMs, trace.txns.length));
  } finally {
    for (const backend of backends) await backend.dispose();
  }
  process.stdout.write(`${section(results, startedAt)}\n`);
  const short = JUMPS < 200;
  if (flags.smoke) log('smoke run: nothing recorded');
  else if (flags['no-write'] || (short && !flags.write)) log('bench/RESULTS.md left alone (a short run; --write records it)');
  else {
    recordResults(results, startedAt);
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
