/**
 * Decisions over real sockets on the real server (docs/PROTOCOL.md S30–S49): what every participant
 * sees while a question is open and when it closes, the server closing a silence procedure by
 * itself (also after a restart), and an adopted amendment reaching the live text.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type * as Y from 'yjs';
import type { TCommandAck } from '../../lib/session/room/commands';
import { openQuestion } from '../../lib/session/room/decisions';
import { withServerDatabase } from '../helpers/demo-data';
import { demoCookie, demoDocumentId, openDocument } from '../helpers/documents';
import { eventually } from '../helpers/http';
import { startServer, type TRunningServer } from '../helpers/server';
import { joinRoom, replayRoom, scheduleMetropolisSession, useRoomSuite, type TRoomClient } from '../helpers/session-room';

/** Four of the seven member cities make the Metropolis quorum (a majority). */
const HEADS = ['head.montreal', 'head.seoul', 'head.barcelona', 'head.johannesburg'] as const;
const ACCOUNTS = ['chair', ...HEADS, 'delegate.montreal', 'observer'] as const;
type TAccount = (typeof ACCOUNTS)[number];

const decisionIdOf = (ack: TCommandAck): string => {
  assert.ok(ack.ok, `accepted: ${JSON.stringify(ack)}`);
  return ack.result?.decisionId ?? '';
};

describe('session decisions', () => {
  const suite = useRoomSuite(ACCOUNTS);

  /** A new live session with the given people in its room. */
  async function liveRoom<Accounts extends TAccount>(...accounts: Accounts[]): Promise<{ sessionId: string } & Record<Accounts | 'chair', TRoomClient>> {
    const sessionId = await scheduleMetropolisSession(suite.server, `Decisions ${Math.random().toString(36).slice(2)}`);
    const clients = {} as Record<Accounts | 'chair', TRoomClient>;
    for (const account of ['chair', ...accounts] as (Accounts | 'chair')[]) clients[account] = await suite.join(account, sessionId);
    assert.ok((await clients.chair.connection.send('session.set_status', { status: 'live' })).ok);
    return { sessionId, ...clients };
  }

  test('[S31][S37][S38][S43] a roll-call by majority: everyone sees "N of M voted" live, the same result at the close, and the record replays to it', async () => {
    const r = await liveRoom(...HEADS, 'observer');
    const everyone = [r.chair, ...HEADS.map((head) => r[head]), r.observer];
    const decisionId = decisionIdOf(await r.chair.connection.send('decision.put', { subject: { kind: 'procedural', text: 'Hold the next meeting in Seoul' }, method: 'majority', ballot: 'roll_call' }));
    for (const client of everyone) await eventually(() => openQuestion(client.view().state)?.decisionId === decisionId);
    const choices = { 'head.montreal': 'yes', 'head.seoul': 'yes', 'head.barcelona': 'no', 'head.johannesburg': 'abstain' } as const;
    for (const [index, head] of HEADS.entries()) {
      assert.ok((await r[head].connection.send('decision.vote', { decisionId, choice: choices[head] })).ok);
      for (const client of everyone) await eventually(() => openQuestion(client.view().state)?.voted.length === index + 1);
    }
    assert.deepEqual(await r.observer.connection.send('decision.vote', { decisionId, choice: 'no' }), { ok: false, error: 'forbidden' }, 'observers do not vote');
    const closed = await r.chair.connection.send('decision.close', { decisionId });
    assert.ok(closed.ok && closed.result?.outcome === 'adopted');
    for (const client of everyone) {
      await eventually(() => client.view().state.decisions.questions[0]?.status === 'closed');
      const result = client.view().state.decisions.questions[0]?.result;
      assert.deepEqual(result?.tally, { yes: 2, no: 1, abstain: 1 });
      assert.equal(result?.outcome, 'adopted');
      assert.equal(result?.entitled.length, 7, 'the seven member cities, frozen at the close');
    }
    const fresh = await suite.join('chair', r.sessionId);
    const live = fresh.view().state;
    assert.deepEqual(await replayRoom(suite.server, r.sessionId, live.seq), live);
  });

  test('[S30][S39][T38] a secret ballot: no participant ever receives a choice before the close; the tally arrives with the result', async () => {
    const r = await liveRoom(...HEADS, 'observer');
    const watchers = [r.chair, r.observer, r['head.seoul']];
    const decisionId = decisionIdOf(await r.chair.connection.send('decision.put', { subject: { kind: 'procedural', text: 'Admit the press' }, method: 'two_thirds', ballot: 'secret' }));
    for (const head of HEADS) assert.ok((await r[head].connection.send('decision.vote', { decisionId, choice: head === 'head.barcelona' ? 'no' : 'yes' })).ok);
    for (const client of watchers) {
      await eventually(() => openQuestion(client.view().state)?.voted.length === 4);
      const cast = client.events.filter((event) => event.type === 'decision.ballot_cast');
      assert.equal(cast.length, 4);
      for (const event of cast) assert.equal((event.payload as { choice: unknown }).choice, null);
      assert.doesNotMatch(JSON.stringify(client.view().state.decisions), /"(yes|no|abstain)"/, 'no choice in the room');
    }
    // Someone who joins now gets the room as it is: who voted, not how.
    const late = await suite.join('delegate.montreal', r.sessionId);
    assert.deepEqual(openQuestion(late.view().state)?.choices, []);
    assert.ok((await r.chair.connection.send('decision.close', { decisionId })).ok);
    for (const client of [...watchers, late]) {
      await eventually(() => client.view().state.decisions.questions[0]?.result !== null);
      assert.deepEqual(client.view().state.decisions.questions[0]?.result?.tally, { yes: 3, no: 1, abstain: 0 });
      assert.equal(client.view().state.decisions.questions[0]?.result?.outcome, 'adopted', 'three of four is over two thirds');
    }
  });

  test('[S40] a silence procedure: the server closes it at the deadline by itself, adopted, for everyone', async () => {
    const r = await liveRoom(...HEADS, 'observer');
    const decisionId = decisionIdOf(await r.chair.connection.send('decision.put', { subject: { kind: 'procedural', text: 'Approve the minutes' }, method: 'consensus', silenceSeconds: 2 }));
    for (const client of [r.chair, r.observer, r['head.barcelona']]) {
      await eventually(() => client.view().state.decisions.questions[0]?.result?.outcome === 'adopted', { timeoutMs: 8_000 });
      assert.equal(client.view().state.decisions.questions[0]?.result?.closedBy, 'deadline');
      assert.ok((client.view().state.decisions.questions[0]?.result?.closedAt ?? 0) >= (client.view().state.decisions.questions[0]?.deadline ?? Infinity));
    }
    assert.deepEqual(await r['head.seoul'].connection.send('decision.object', { decisionId, reason: 'Too late' }), { ok: false, error: 'decision_closed' });
  });

  test('[S41][S40] an amendment adopted by silence reaches the live text through the co-drafting service, in the name of the chair who put it', async () => {
    const documentId = demoDocumentId(suite.server);
    const reader = await openDocument(suite.server, suite.cookies.observer, documentId);
    const pid = String((reader.doc.getXmlFragment('default').get(7) as Y.XmlElement).getAttribute('pid'));
    const proposed = await fetch(`${suite.server.url}/api/documents/${documentId}/amendments`, {
      method: 'POST',
      headers: { cookie: suite.cookies['head.seoul'], origin: suite.server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ pid, kind: 'replace', proposedText: 'Cities adopt heat action plans by 2028.', rationale: 'A date.' }),
    });
    assert.equal(proposed.status, 201);
    const { amendment } = (await proposed.json()) as { amendment: { id: string } };
    const r = await liveRoom(...HEADS);
    decisionIdOf(await r.chair.connection.send('decision.put', { subject: { kind: 'amendment', documentId, amendmentId: amendment.id }, method: 'consensus', silenceSeconds: 1 }));
    await eventually(() => reader.text().includes('heat action plans by 2028'), { timeoutMs: 8_000 });
    await eventually(() => r['head.montreal'].view().state.decisions.questions[0]?.application?.status === 'applied');
    const application = r['head.montreal'].view().state.decisions.questions[0]?.application;
    assert.ok(application?.status === 'applied' && typeof application.documentSeq === 'number', 'the text update is named');
    const stored = withServerDatabase(suite.server, (db) => ({
      status: (db.prepare('SELECT status FROM amendments WHERE id = ?').get(amendment.id) as { status: string }).status,
      author: (db.prepare('SELECT u.email FROM document_updates du JOIN users u ON u.id = du.user_id WHERE du.document_id = ? ORDER BY seq DESC LIMIT 1').get(documentId) as { email: string }).email,
      outcomes: (db.prepare('SELECT COUNT(*) AS n FROM decision_outcomes').get() as { n: number }).n,
    }));
    assert.deepEqual(stored, { status: 'accepted', author: 'chair@demo.proxenia.test', outcomes: 1 });
    reader.close();
  });

  test('[S41][D16] an amendment adopted on a paragraph that is agreed meanwhile leaves the text alone: outcome_failed "paragraph_agreed"', async () => {
    const documentId = demoDocumentId(suite.server);
    const reader = await openDocument(suite.server, suite.cookies.observer, documentId);
    const paragraph = reader.doc.getXmlFragment('default').get(8) as Y.XmlElement;
    const pid = String(paragraph.getAttribute('pid'));
    const before = reader.text();
    const post = (account: TAccount, path: string, body: unknown) =>
      fetch(`${suite.server.url}/api/documents/${documentId}${path}`, {
        method: 'POST',
        headers: { cookie: suite.cookies[account], origin: suite.server.url, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const proposed = await post('head.seoul', '/amendments', { pid, kind: 'delete', proposedText: '', rationale: 'Not needed.' });
    assert.equal(proposed.status, 201);
    const { amendment } = (await proposed.json()) as { amendment: { id: string } };
    assert.equal((await post('chair', `/paragraphs/${pid}/status`, { status: 'agreed' })).status, 200);
    const r = await liveRoom(...HEADS);
    decisionIdOf(await r.chair.connection.send('decision.put', { subject: { kind: 'amendment', documentId, amendmentId: amendment.id }, method: 'consensus', silenceSeconds: 1 }));
    await eventually(() => r['head.montreal'].view().state.decisions.questions[0]?.application?.status === 'failed', { timeoutMs: 8_000 });
    assert.deepEqual(r['head.montreal'].view().state.decisions.questions[0]?.application, { status: 'failed', reason: 'paragraph_agreed' });
    assert.equal(reader.text(), before, 'the agreed paragraph is still there');
    const status = withServerDatabase(suite.server, (db) => (db.prepare('SELECT status FROM amendments WHERE id = ?').get(amendment.id) as { status: string }).status);
    assert.equal(status, 'proposed');
    reader.close();
  });
});

describe('session decisions across a restart', () => {
  let server: TRunningServer | undefined;
  after(async () => {
    await server?.stop();
  });

  test('[S40][S19] a silence procedure whose deadline passed while the server was down is closed when it starts again, with nobody in the room', async () => {
    server = await startServer();
    const sessionId = await scheduleMetropolisSession(server, 'Silence across a restart');
    const clients: TRoomClient[] = [];
    for (const account of ['chair', ...HEADS]) clients.push(await joinRoom(server, await demoCookie(server, account), sessionId));
    const chair = clients[0]!;
    assert.ok((await chair.connection.send('session.set_status', { status: 'live' })).ok);
    decisionIdOf(await chair.connection.send('decision.put', { subject: { kind: 'procedural', text: 'Adjourn until tomorrow' }, method: 'consensus', silenceSeconds: 2 }));
    await server.kill();
    for (const client of clients) client.close();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    server = await startServer({ dataDir: server.dataDir });
    const running = server;
    const closed = () =>
      withServerDatabase(running, (db) => db.prepare("SELECT payload FROM session_events WHERE session_id = ? AND type = 'decision.closed'").get(sessionId) as { payload: string } | undefined);
    await eventually(() => closed() !== undefined, { timeoutMs: 10_000 });
    assert.deepEqual(
      (({ outcome, closedBy }: { outcome: string; closedBy: string }) => ({ outcome, closedBy }))(JSON.parse(closed()?.payload ?? '{}') as { outcome: string; closedBy: string }),
      { outcome: 'adopted', closedBy: 'deadline' },
    );
  });
});
