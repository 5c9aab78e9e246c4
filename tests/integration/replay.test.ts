/**
 * The record through the real server and the operators' commands (issue 6): the replay API's
 * access and bad input (signed out, not a member, malformed, clamped), its per-viewer filter;
 * `npm run verify-log` on an intact and a tampered session; `npm run trace:import` of a good, a
 * truncated and a malformed trace (nothing half-imported), replayed through the API.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { demoNegotiations, withServerDatabase } from '../helpers/demo-data';
import { useRoomSuite } from '../helpers/session-room';
import { TRACES_DIR } from '../helpers/editing-traces';
import { npmRun as runNpmScript } from '../helpers/npm-run';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul'] as const;
type TAccount = (typeof ACCOUNTS)[number];

interface TReplayBody {
  seq: number;
  headSeq: number;
  at: string;
  documents: { id: string; title: string; text: string }[];
  floor: unknown;
  attendance: unknown;
}

/** Runs an npm script of the project against the server's database. */
const npmRun = (script: string, args: string[], dataDir: string) => runNpmScript(script, args, { DATA_DIR: dataDir });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proxenia-replay-it-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the record: replay API, verify-log and trace import', () => {
  const suite = useRoomSuite(ACCOUNTS);
  const get = (account: TAccount | null, sessionId: string, query = '') =>
    fetch(`${suite.server.url}/api/sessions/${sessionId}/replay${query}`, { headers: account ? { cookie: suite.cookies[account] } : {} });

  /** A live session with a floor request, plenary chat and Montréal's delegation-internal chat. */
  async function recordedSession(): Promise<string> {
    const room = await suite.room('chair', 'head.montreal', 'delegate.montreal', 'head.seoul');
    assert.ok((await room.chair.connection.send('session.set_status', { status: 'live' })).ok);
    assert.ok((await room['head.seoul'].connection.send('floor.request', { kind: 'regular' })).ok);
    assert.ok((await room['head.seoul'].connection.send('chat.post_plenary', { text: 'Seoul greets the room' })).ok);
    assert.ok((await room['delegate.montreal'].connection.send('chat.post_delegation', { text: 'SECRET-REPLAY fall back to OP 3' })).ok);
    return room.sessionId;
  }

  const sessionCounts = () =>
    withServerDatabase(suite.server, (db) => {
      const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      return { sessions: count('negotiation_sessions'), documents: count('documents'), updates: count('document_updates'), events: count('session_events') };
    });

  test('[R2][R3] GET /api/sessions/<id>/replay: signed out 401, not a member 404 (nothing leaked), a member the head; bad input 400, out-of-range moments clamped', async () => {
    const sessionId = await recordedSession();
    assert.equal((await get(null, sessionId)).status, 401, 'signed out');

    const twinning = withServerDatabase(suite.server, (db) => db.prepare('SELECT id, title FROM negotiation_sessions WHERE negotiation_id = ?').get(demoNegotiations(suite.server).twinning) as { id: string; title: string });
    const hidden = await get('head.montreal', twinning.id);
    assert.equal(hidden.status, 404, 'Montréal is not in the twinning talks');
    const hiddenBody = await hidden.text();
    assert.ok(!hiddenBody.includes(twinning.title) && !hiddenBody.includes('"seq"'), 'a 404 tells nothing of the session');
    assert.equal((await get('head.montreal', '00000000-0000-4000-8000-000000000000')).status, 404, 'unknown session');
    assert.equal((await get('head.montreal', encodeURIComponent('../etc/passwd'))).status, 404, 'not an id');

    const whole = await get('head.montreal', sessionId);
    assert.equal(whole.status, 200);
    const head = (await whole.json()) as TReplayBody;
    assert.equal(head.seq, head.headSeq);
    assert.ok(head.headSeq >= 5);
    assert.ok(Array.isArray(head.documents) && 'floor' in head && 'attendance' in head && !Number.isNaN(Date.parse(head.at)));

    for (const query of ['?seq=abc', '?seq=-1', '?seq=1.5', '?seq=', `?seq=1&t=${encodeURIComponent(new Date().toISOString())}`, '?t=not-a-date', '?t=2031-13-01T00:00:00Z', '?until=3']) {
      assert.equal((await get('head.montreal', sessionId, query)).status, 400, query);
    }
    const beyond = (await (await get('head.montreal', sessionId, '?seq=999999')).json()) as TReplayBody;
    assert.equal(beyond.seq, head.headSeq, 'a seq beyond the head is the head');
    const before = (await (await get('head.montreal', sessionId, `?t=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).json()) as TReplayBody;
    assert.equal(before.seq, 1, 'a moment before the first event is the first event');
    const zero = (await (await get('head.montreal', sessionId, '?seq=0')).json()) as TReplayBody;
    assert.equal(zero.seq, 1);
    const later = (await (await get('head.montreal', sessionId, `?t=${encodeURIComponent('2999-01-01T00:00:00+02:00')}`)).json()) as TReplayBody;
    assert.equal(later.seq, head.headSeq, 'a moment after the last event is the head');
  });

  test('[R2][S76] a delegation’s internal chat is in its own members’ replay and absent from everyone else’s (per-viewer filter)', async () => {
    const sessionId = await recordedSession();
    for (const account of ['chair', 'head.seoul'] as const) {
      const body = await (await get(account, sessionId)).text();
      assert.doesNotMatch(body, /SECRET-REPLAY/, account);
      assert.match(body, /Seoul greets the room/, `${account} sees the plenary chat`);
    }
    assert.match(await (await get('head.montreal', sessionId)).text(), /SECRET-REPLAY/, 'Montréal’s head sees its delegation’s chat');
  });

  test('[R5] npm run verify-log: exit 0 and "verified N events" on an intact session; exit 1 naming the first bad seq once a row was changed; exit 2 for an unknown session', async () => {
    const sessionId = await recordedSession();
    const headSeq = withServerDatabase(suite.server, (db) => (db.prepare('SELECT head_seq AS n FROM negotiation_sessions WHERE id = ?').get(sessionId) as { n: number }).n);
    const intact = await npmRun('verify-log', [sessionId], suite.server.dataDir);
    assert.equal(intact.code, 0, intact.stderr);
    assert.match(intact.stdout, new RegExp(`^verified ${headSeq} events`, 'm'));

    withServerDatabase(
      suite.server,
      (db) => {
        db.exec('DROP TRIGGER session_events_no_update');
        db.prepare(`UPDATE session_events SET payload = json_set(payload, '$.kind', 'point_of_order') WHERE session_id = ? AND type = 'floor.requested'`).run(sessionId);
      },
      true,
    );
    const tamperedSeq = withServerDatabase(suite.server, (db) => (db.prepare(`SELECT seq FROM session_events WHERE session_id = ? AND type = 'floor.requested'`).get(sessionId) as { seq: number }).seq);
    const tampered = await npmRun('verify-log', [sessionId], suite.server.dataDir);
    assert.equal(tampered.code, 1);
    assert.match(tampered.stderr, new RegExp(`first bad seq ${tamperedSeq}\\b`));
    assert.doesNotMatch(tampered.stdout, /verified/);

    const unknown = await npmRun('verify-log', ['00000000-0000-4000-8000-000000000000'], suite.server.dataDir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no session/);
  });

  test('[R8] npm run trace:import: a good trace prints its session, replays to endContent and verifies; a truncated or malformed file fails clearly and imports nothing', async () => {
    const trace = {
      startContent: '',
      endContent: 'Cities 🏙 cooperate.',
      txns: [{ time: '2031-03-01T10:00:00Z', patches: [[0, 0, 'Cities cooperate']] }, { time: '2031-03-01T10:00:04Z', patches: [[16, 0, '.'], [6, 0, ' 🏙']] }],
    };
    const good = path.join(tmp, 'good.json.gz');
    fs.writeFileSync(good, gzipSync(JSON.stringify(trace)));
    const imported = await npmRun('trace:import', [good, '--title', 'Imported in a test'], suite.server.dataDir);
    assert.equal(imported.code, 0, imported.stderr);
    const line = JSON.parse(imported.stdout.trim()) as { sessionId: string; documentId: string; events: number };
    assert.deepEqual(Object.keys(line).sort(), ['documentId', 'events', 'sessionId']);
    const replay = (await (await get('chair', line.sessionId)).json()) as TReplayBody;
    assert.equal(replay.seq, line.events);
    assert.deepEqual(replay.documents.map((document) => [document.id, document.title, document.text]), [[line.documentId, 'Imported in a test', trace.endContent]]);
    const atFirst = (await (await get('chair', line.sessionId, `?t=${encodeURIComponent('2031-03-01T10:00:02Z')}`)).json()) as TReplayBody;
    assert.equal(atFirst.documents[0]?.text, 'Cities cooperate', 'the moment between the two transactions');
    const verified = await npmRun('verify-log', [line.sessionId], suite.server.dataDir);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, new RegExp(`^verified ${line.events} events`));

    const before = sessionCounts();
    const real = fs.readFileSync(path.join(TRACES_DIR, 'clownschool.json.gz'));
    const truncated = path.join(tmp, 'truncated.json.gz');
    fs.writeFileSync(truncated, real.subarray(0, Math.floor(real.length / 2)));
    const malformed = path.join(tmp, 'malformed.json.gz');
    const { endContent: _dropped, ...withoutEnd } = trace;
    fs.writeFileSync(malformed, gzipSync(JSON.stringify(withoutEnd)));
    const diverging = path.join(tmp, 'diverging.json');
    fs.writeFileSync(diverging, JSON.stringify({ ...trace, endContent: 'something else' }));
    for (const [file, message] of [
      [truncated, /cannot read .*truncated\.json\.gz.*nothing was imported/],
      [malformed, /not an editing trace: endContent.*nothing was imported/],
      [diverging, /does not give its endContent.*nothing was imported/],
      [path.join(tmp, 'missing.json.gz'), /cannot read .*nothing was imported/],
    ] as const) {
      const outcome = await npmRun('trace:import', [file], suite.server.dataDir);
      assert.notEqual(outcome.code, 0, file);
      assert.match(outcome.stderr, message, file);
      assert.equal(outcome.stdout.trim(), '', 'no JSON line');
    }
    assert.deepEqual(sessionCounts(), before, 'nothing was imported');
  });
});
