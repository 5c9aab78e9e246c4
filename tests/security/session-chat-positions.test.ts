/**
 * THREATS cases for chat, consultations, positions and the workspace (docs/PROTOCOL.md S50–S79):
 * delegation-private data never reaching another delegation or the chair (T11, T30), forged
 * delegations and people in inputs (T29), markup in messages and mentions (T28), retries (T31),
 * role changes (T39), muted participants and unaccepted consultations. Every refusal is proven the
 * same way: an error to the sender, nothing stored, nothing broadcast, nobody else sees anything.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TCommandAck } from '../../lib/session/room/commands';
import { demoDocumentId } from '../helpers/documents';
import { demoEmail, demoNegotiations, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { openWelcomedRawSocket } from '../helpers/raw-socket';
import { scheduleMetropolisSession, storedCounts, useRoomSuite, type TRoomClient } from '../helpers/session-room';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona', 'head.nizhny', 'observer'] as const;
type TAccount = (typeof ACCOUNTS)[number];

describe('chat, positions and the workspace: bad input and threats', () => {
  const suite = useRoomSuite(ACCOUNTS);

  async function liveRoom(...accounts: TAccount[]): Promise<{ sessionId: string; clients: Record<TAccount, TRoomClient> }> {
    const sessionId = await scheduleMetropolisSession(suite.server, `Threat test ${Math.random().toString(36).slice(2)}`);
    const clients = {} as Record<TAccount, TRoomClient>;
    for (const account of ['chair', ...accounts] as TAccount[]) clients[account] = await suite.join(account, sessionId);
    assert.ok((await clients.chair.connection.send('session.set_status', { status: 'live' })).ok);
    return { sessionId, clients };
  }

  const delegationId = (name: string) =>
    withServerDatabase(suite.server, (db) => (db.prepare('SELECT d.id FROM delegations d JOIN actors a ON a.id = d.actor_id WHERE a.name = ? AND d.negotiation_id = ?').get(name, demoNegotiations(suite.server).metropolis) as { id: string }).id);
  const documentId = () => demoDocumentId(suite.server);
  async function pidOf(index: number): Promise<string> {
    const response = await fetch(`${suite.server.url}/api/documents/${documentId()}/paragraphs`, { headers: { cookie: suite.cookies.chair } });
    return ((await response.json()) as { paragraphs: { pid: string }[] }).paragraphs[index]?.pid ?? '';
  }

  /** Everything a refusal must leave alone: the log, the commands, the kept texts, the negotiation's positions and notes. */
  function stored(sessionId: string) {
    const counts = withServerDatabase(suite.server, (db) => {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        contents: count('SELECT COUNT(*) AS n FROM session_event_contents'),
        positions: count('SELECT COUNT(*) AS n FROM delegation_positions'),
        positionsChanged: count('SELECT COALESCE(MAX(updated_at), 0) AS n FROM delegation_positions'),
        notes: count('SELECT COUNT(*) AS n FROM workspace_notes'),
        notesChanged: count('SELECT COALESCE(MAX(updated_at), 0) AS n FROM workspace_notes'),
      };
    });
    return { ...storedCounts(suite.server, sessionId), ...counts };
  }

  /** The chair adds an agenda item everyone receives, and waits until everyone has; returns each one's event count then. */
  async function settled(clients: Partial<Record<TAccount, TRoomClient>>): Promise<Record<string, number>> {
    const title = `Marker ${Math.random().toString(36).slice(2)}`;
    assert.ok((await clients.chair!.connection.send('agenda.add', { title, plannedMinutes: null })).ok);
    const received = (client: TRoomClient) => client.events.some((event) => (event.payload as { title?: string }).title === title);
    for (const client of Object.values(clients)) await eventually(() => received(client));
    return Object.fromEntries(Object.entries(clients).map(([account, client]) => [account, client.events.length]));
  }

  /**
   * Sends a command that must be refused with `error`, and proves it changed nothing: nothing
   * stored, and between two markers of the chair nobody in the room received anything.
   */
  async function refusedQuietly(sessionId: string, clients: Partial<Record<TAccount, TRoomClient>>, send: () => Promise<TCommandAck>, error: string, what: string): Promise<void> {
    const seen = await settled(clients);
    const before = stored(sessionId);
    assert.deepEqual(await send(), { ok: false, error }, what);
    assert.deepEqual(stored(sessionId), before, `nothing stored: ${what}`);
    await settled(clients);
    for (const [account, client] of Object.entries(clients)) {
      assert.deepEqual(client.events.slice(seen[account]).map((event) => event.type), ['agenda.item_added'], `${account} received nothing but the marker: ${what}`);
    }
  }

  test('[T11][S52][S65][S72] delegation-internal chat, position notes and workspace notes never reach another delegation or the chair — live, on joining, or in the record', async () => {
    const { sessionId, clients } = await liveRoom('head.montreal', 'delegate.montreal', 'head.seoul', 'observer');
    const montreal = clients['delegate.montreal'].connection;
    const target = { kind: 'paragraph', pid: await pidOf(1) } as const;
    assert.ok((await montreal.send('chat.post_delegation', { text: 'SECRET-CHAT fallback is OP 3 deleted' })).ok);
    assert.ok((await montreal.send('position.record', { documentId: documentId(), target, stance: 'reserve', note: 'SECRET-NOTE ask the capital' })).ok);
    assert.ok((await montreal.send('workspace.write', { documentId: documentId(), pid: target.pid, text: 'SECRET-WORKSPACE trade OP 3 for OP 5' })).ok);
    await eventually(() => clients['head.montreal'].view().state.workspace.notes.length > 0);
    const secret = /SECRET-/;
    for (const account of ['chair', 'head.seoul', 'observer'] as const) {
      assert.doesNotMatch(JSON.stringify(clients[account].events), secret, `${account}: live events`);
      assert.doesNotMatch(JSON.stringify(clients[account].view()), secret, `${account}: its room`);
      const fresh = await suite.join(account, sessionId);
      assert.doesNotMatch(JSON.stringify(fresh.view()), secret, `${account}: a fresh snapshot`);
      fresh.close();
      const record = await fetch(`${suite.server.url}/api/sessions/${sessionId}/record`, { headers: { cookie: suite.cookies[account] } });
      assert.equal(record.status, 200);
      assert.doesNotMatch(await record.text(), secret, `${account}: the record`);
    }
    assert.match(JSON.stringify(clients['head.montreal'].view()), /SECRET-CHAT.*SECRET-NOTE|SECRET-NOTE.*SECRET-CHAT/s, 'its own head has all of it');
  });

  test('[T30][S79] the record of another negotiation’s session is not found; seqs are validated and clamped', async () => {
    const { sessionId } = await liveRoom();
    const twinningSession = withServerDatabase(suite.server, (db) => (db.prepare('SELECT id FROM negotiation_sessions WHERE negotiation_id = ?').get(demoNegotiations(suite.server).twinning) as { id: string }).id);
    const get = (account: TAccount, id: string, query = '') => fetch(`${suite.server.url}/api/sessions/${id}/record${query}`, { headers: { cookie: suite.cookies[account] } });
    assert.equal((await get('head.montreal', twinningSession)).status, 404, 'Montréal is not in the twinning talks');
    assert.equal((await get('head.nizhny', twinningSession)).status, 200);
    for (const id of ['../etc/passwd', '00000000-0000-4000-8000-000000000000', 'x'.repeat(300)]) assert.equal((await get('head.montreal', encodeURIComponent(id))).status, 404, id);
    for (const until of ['-1', '1.5', 'abc', '1e9', '']) assert.equal((await get('head.montreal', sessionId, `?until=${until}`)).status, 400, `until=${until}`);
    assert.equal((await get('head.montreal', sessionId, '?until=1&seq=2')).status, 400, 'unknown parameters');
    const clamped = (await (await get('head.montreal', sessionId, '?until=999999999')).json()) as { seq: number; headSeq: number };
    assert.equal(clamped.seq, clamped.headSeq);
    const first = (await (await get('head.montreal', sessionId, '?until=1')).json()) as { seq: number; events: { type: string }[] };
    assert.deepEqual([first.seq, first.events.map((event) => event.type)], [1, ['session.scheduled']]);
    assert.equal((await fetch(`${suite.server.url}/api/sessions/${sessionId}/record`)).status, 401, 'signed out');
  });

  test('[T29] forged delegations, people and prototype keys in chat, position and workspace inputs are invalid; nothing is stored or sent', async () => {
    const { sessionId, clients } = await liveRoom('head.montreal', 'head.seoul', 'observer');
    const seoul = delegationId('Seoul');
    const montreal = clients['head.montreal'].connection;
    const watchers = { chair: clients.chair, 'head.seoul': clients['head.seoul'], observer: clients.observer };
    const target = { kind: 'paragraph', pid: await pidOf(1) } as const;
    const forged: [string, unknown][] = [
      ['chat.post_delegation', { text: 'as Seoul', delegationId: seoul }],
      ['chat.post_plenary', { text: 'as the chair', userId: userIdOf(suite.server, demoEmail('chair')) }],
      ['chat.post_plenary', { text: 'with mentions', mentions: [seoul] }],
      ['chat.post_consultation', { consultationId: seoul, text: 'x', delegationIds: [seoul, seoul] }],
      ['position.record', { documentId: documentId(), target, stance: 'object', note: '', delegationId: seoul }],
      ['position.record', { documentId: documentId(), target: { ...target, delegationId: seoul }, stance: 'object', note: '' }],
      ['position.record', { documentId: documentId(), target, stance: 'veto', note: '' }],
      ['workspace.write', { documentId: documentId(), pid: target.pid, text: 'into Seoul’s workspace', delegationId: seoul }],
      ['workspace.unshare', { delegationId: seoul }],
      ['consultation.request', { delegationId: seoul, from: delegationId('Barcelona') }],
    ];
    for (const [type, input] of forged) await refusedQuietly(sessionId, watchers, () => montreal.send(type as 'chat.post_plenary', input as { text: string }), 'invalid_input', `${type} ${JSON.stringify(input).slice(0, 60)}`);
    // `__proto__` as JSON text, which socket.io's parser turns into an own key.
    const raw = await openWelcomedRawSocket(suite.server.url, suite.cookies['head.montreal']);
    await raw.send(`420["session:join",${JSON.stringify({ sessionId })}]`);
    await raw.waitFor((frame) => frame.startsWith('430['));
    await refusedQuietly(
      sessionId,
      watchers,
      async () => {
        await raw.send(`421["session:command",{"sessionId":"${sessionId}","clientMsgId":"proto-0001","type":"chat.post_delegation","input":{"text":"x","__proto__":{"delegationId":"${seoul}"}}}]`);
        return JSON.parse((await raw.waitFor((frame) => frame.startsWith('431['))).slice(3))[0] as TCommandAck;
      },
      'invalid_input',
      '__proto__ in a chat input',
    );
    raw.ws.close();
  });

  test('[T28][S56][S57] markup in messages and mentions is stored as plain text and resolves to no delegation; hidden direction controls are refused', async () => {
    const { sessionId, clients } = await liveRoom('head.montreal', 'head.seoul');
    const payloads = ['<img src=x onerror=alert(1)>', '<script>alert(document.cookie)</script> @Seoul', '@<b>Seoul</b> [link](javascript:alert(1))', '{{constructor.constructor("alert(1)")()}}'];
    for (const text of payloads) assert.ok((await clients['head.montreal'].connection.send('chat.post_plenary', { text })).ok);
    await eventually(() => clients['head.seoul'].view().state.chat.messages.length === payloads.length);
    const messages = clients['head.seoul'].view().state.chat.messages;
    assert.deepEqual(messages.map((message) => message.text), payloads, 'verbatim: escaping is the renderer’s job (React text nodes)');
    assert.deepEqual(messages.map((message) => message.mentions.length), [0, 1, 0, 0], 'only the real @Seoul is a mention');
    await refusedQuietly(sessionId, { chair: clients.chair, 'head.seoul': clients['head.seoul'] }, () => clients['head.montreal'].connection.send('chat.post_plenary', { text: 'innocent \u202Egnp.exe' }), 'invalid_input', 'a right-to-left override');
    await refusedQuietly(sessionId, { chair: clients.chair, 'head.seoul': clients['head.seoul'] }, () => clients['head.montreal'].connection.send('chat.post_plenary', { text: 'x'.repeat(2_001) }), 'invalid_input', 'over the length cap');
  });

  test('[S53][S58] a muted participant is refused in the plenary, and nobody sees the attempt; unmuted, they write again', async () => {
    const { sessionId, clients } = await liveRoom('head.montreal', 'head.seoul', 'observer');
    const montrealHead = userIdOf(suite.server, demoEmail('head.montreal'));
    assert.ok((await clients.chair.connection.send('chat.mute', { userId: montrealHead })).ok);
    await eventually(() => clients['head.montreal'].view().state.chat.muted.includes(montrealHead));
    await refusedQuietly(sessionId, { chair: clients.chair, 'head.seoul': clients['head.seoul'], observer: clients.observer }, () => clients['head.montreal'].connection.send('chat.post_plenary', { text: 'I will be heard' }), 'muted', 'muted in the plenary');
    assert.ok((await clients['head.montreal'].connection.send('chat.post_delegation', { text: 'our own channel is ours' })).ok, 'the chair does not reach into a delegation’s channel');
    assert.ok((await clients.chair.connection.send('chat.unmute', { userId: montrealHead })).ok);
    assert.ok((await clients['head.montreal'].connection.send('chat.post_plenary', { text: 'Thank you, chair.' })).ok);
    await refusedQuietly(sessionId, { chair: clients.chair, 'head.seoul': clients['head.seoul'] }, () => clients.observer.connection.send('chat.post_plenary', { text: 'observers listen' }), 'observers_read_only', 'an observer in the plenary');
  });

  test('[S59][S60] a consultation not accepted carries no message; outsiders cannot answer, write in or even see it', async () => {
    const { sessionId, clients } = await liveRoom('head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona');
    const watchers = { chair: clients.chair, 'head.seoul': clients['head.seoul'], 'head.barcelona': clients['head.barcelona'] };
    const request = await clients['head.montreal'].connection.send('consultation.request', { delegationId: delegationId('Seoul') });
    assert.ok(request.ok);
    const consultationId = request.result?.consultationId ?? '';
    await eventually(() => clients['head.seoul'].view().state.chat.consultations.length === 1);
    assert.deepEqual(clients['head.barcelona'].view().state.chat.consultations, []);
    await refusedQuietly(sessionId, watchers, () => clients['head.montreal'].connection.send('chat.post_consultation', { consultationId, text: 'before acceptance' }), 'no_consultation', 'not yet accepted');
    await refusedQuietly(sessionId, watchers, () => clients['head.barcelona'].connection.send('consultation.accept', { consultationId }), 'not_found', 'an outsider accepts');
    await refusedQuietly(sessionId, watchers, () => clients['head.barcelona'].connection.send('chat.post_consultation', { consultationId, text: 'let me in' }), 'not_found', 'an outsider writes');
    await refusedQuietly(sessionId, watchers, () => clients['delegate.montreal'].connection.send('consultation.close', { consultationId }), 'forbidden', 'a delegate does not speak for the delegation');
    await refusedQuietly(sessionId, watchers, () => clients['head.montreal'].connection.send('consultation.accept', { consultationId }), 'forbidden', 'the requester accepts its own request');
    await refusedQuietly(sessionId, watchers, () => clients['head.montreal'].connection.send('workspace.share', { delegationId: delegationId('Seoul') }), 'no_consultation', 'sharing before acceptance');
    assert.ok((await clients['head.seoul'].connection.send('consultation.decline', { consultationId })).ok);
    await refusedQuietly(sessionId, watchers, () => clients['head.seoul'].connection.send('consultation.accept', { consultationId }), 'invalid_transition', 'accepting a declined request');
  });

  test('[T31] a message or a position retried after a reconnect, on a new connection, is stored once', async () => {
    const { sessionId, clients } = await liveRoom('head.seoul');
    const target = { kind: 'paragraph', pid: await pidOf(2) } as const;
    const message = await clients['head.seoul'].connection.send('chat.post_plenary', { text: 'Seoul supports OP 2.' }, 'seoul-chat-retry-01');
    const position = await clients['head.seoul'].connection.send('position.record', { documentId: documentId(), target, stance: 'support', note: 'retry me' }, 'seoul-position-retry');
    assert.ok(message.ok && position.ok);
    clients['head.seoul'].close();
    const again = await suite.join('head.seoul', sessionId);
    assert.deepEqual(await again.connection.send('chat.post_plenary', { text: 'Seoul supports OP 2.' }, 'seoul-chat-retry-01'), message);
    assert.deepEqual(await again.connection.send('position.record', { documentId: documentId(), target, stance: 'support', note: 'retry me' }, 'seoul-position-retry'), position);
    const count = (type: string) => withServerDatabase(suite.server, (db) => (db.prepare('SELECT COUNT(*) AS n FROM session_events WHERE session_id = ? AND type = ?').get(sessionId, type) as { n: number }).n);
    assert.deepEqual([count('chat.message_posted'), count('position.recorded'), count('position.note_set')], [1, 1, 1]);
    assert.equal(again.view().state.chat.messages.filter((entry) => entry.text === 'Seoul supports OP 2.').length, 1);
  });

  test('[T39][S15] a head made adviser is refused consultations and positions at the very next command; made observer of no delegation, its channel is gone', async () => {
    const { sessionId, clients } = await liveRoom('head.barcelona', 'head.seoul');
    const barcelona = userIdOf(suite.server, demoEmail('head.barcelona'));
    const setRole = (role: string, delegation: string | null) =>
      withServerDatabase(suite.server, (db) => db.prepare('UPDATE memberships SET role = ?, delegation_id = ? WHERE user_id = ? AND negotiation_id = ?').run(role, delegation, barcelona, demoNegotiations(suite.server).metropolis), true);
    const own = delegationId('Barcelona');
    const watchers = { chair: clients.chair, 'head.seoul': clients['head.seoul'] };
    const target = { kind: 'paragraph', pid: await pidOf(1) } as const;
    setRole('adviser', own);
    try {
      await refusedQuietly(sessionId, watchers, () => clients['head.barcelona'].connection.send('consultation.request', { delegationId: delegationId('Seoul') }), 'forbidden', 'an adviser requests a consultation');
      await refusedQuietly(sessionId, watchers, () => clients['head.barcelona'].connection.send('position.record', { documentId: documentId(), target, stance: 'object', note: '' }), 'forbidden', 'an adviser records a position');
      await refusedQuietly(sessionId, watchers, () => clients['head.barcelona'].connection.send('chat.post_plenary', { text: 'as head' }), 'forbidden', 'an adviser in the plenary');
      setRole('observer', null);
      await refusedQuietly(sessionId, watchers, () => clients['head.barcelona'].connection.send('chat.post_delegation', { text: 'to Barcelona' }), 'forbidden', 'no delegation, no channel');
    } finally {
      setRole('head', own);
    }
    assert.ok((await clients['head.barcelona'].connection.send('chat.post_delegation', { text: 'back' })).ok);
  });

  test('[S55][T24] more than five messages in ten seconds are refused and stored nowhere', async () => {
    const { sessionId, clients } = await liveRoom('head.seoul', 'head.montreal');
    for (let index = 0; index < 5; index += 1) assert.ok((await clients['head.seoul'].connection.send('chat.post_plenary', { text: `point ${index}` })).ok);
    await refusedQuietly(sessionId, { chair: clients.chair, 'head.montreal': clients['head.montreal'] }, () => clients['head.seoul'].connection.send('chat.post_delegation', { text: 'one more' }), 'rate_limited', 'the sixth message');
  });
});
