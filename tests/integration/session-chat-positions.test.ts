/**
 * Chat, consultations, positions and the workspace over real sockets on the real server
 * (docs/PROTOCOL.md S50–S79): who receives each event, what each snapshot holds, how a change of
 * what someone may see reaches them, and that the record replays to the live room.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TSessionRoomState } from '../../lib/session/room/state';
import { stateForViewer } from '../../lib/session/room/visibility';
import { demoDocumentId } from '../helpers/documents';
import { demoEmail, demoNegotiations, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { accepted, replayRoom, useRoomSuite, type TRoomClient } from '../helpers/session-room';

const ACCOUNTS = ['chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona', 'observer'] as const;
type TAccount = (typeof ACCOUNTS)[number];

describe('session room: chat, positions and the workspace', () => {
  const suite = useRoomSuite(ACCOUNTS);

  const room = suite.room;
  const delegationId = (name: string) =>
    withServerDatabase(suite.server, (db) => (db.prepare('SELECT d.id FROM delegations d JOIN actors a ON a.id = d.actor_id WHERE a.name = ? AND d.negotiation_id = ?').get(name, demoNegotiations(suite.server).metropolis) as { id: string }).id);
  const texts = (client: TRoomClient) => client.view().state.chat.messages.map((message) => message.text);
  const paragraphs = async (): Promise<{ documentId: string; pids: string[] }> => {
    const documentId = demoDocumentId(suite.server);
    const response = await fetch(`${suite.server.url}/api/documents/${documentId}/paragraphs`, { headers: { cookie: suite.cookies.chair } });
    const { paragraphs: list } = (await response.json()) as { paragraphs: { pid: string }[] };
    return { documentId, pids: list.map((paragraph) => paragraph.pid) };
  };
  /** The room as a fresh join of `account` is sent it now. */
  const snapshot = async (account: TAccount, sessionId: string): Promise<TSessionRoomState> => {
    const fresh = await suite.join(account, sessionId);
    const state = fresh.view().state;
    fresh.close();
    return state;
  };

  test('[S52][S54][S76][S77] a delegation’s channel reaches its own people — head and delegate — and nobody else: not another delegation, not the chair, not an observer; live and in every snapshot', async () => {
    const r = await room('chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'observer');
    await accepted(r['head.montreal'].connection.send('chat.post_plenary', { text: 'Good morning, colleagues.' }));
    await accepted(r['delegate.montreal'].connection.send('chat.post_delegation', { text: 'Our red line: no binding targets in OP 3.' }));
    await accepted(r['head.seoul'].connection.send('chat.post_delegation', { text: 'Seoul can accept OP 3 as is.' }));
    await accepted(r.chair.connection.send('chat.post_plenary', { text: 'Marker' }));
    for (const client of [r.chair, r['head.montreal'], r['delegate.montreal'], r['head.seoul'], r.observer]) await eventually(() => texts(client).includes('Marker'));
    assert.deepEqual(texts(r['head.montreal']), ['Good morning, colleagues.', 'Our red line: no binding targets in OP 3.', 'Marker']);
    assert.deepEqual(texts(r['delegate.montreal']), texts(r['head.montreal']));
    assert.deepEqual(texts(r['head.seoul']), ['Good morning, colleagues.', 'Seoul can accept OP 3 as is.', 'Marker']);
    assert.deepEqual(texts(r.chair), ['Good morning, colleagues.', 'Marker']);
    assert.deepEqual(texts(r.observer), ['Good morning, colleagues.', 'Marker']);
    for (const [client, foreign] of [[r.chair, 'red line'], [r.observer, 'red line'], [r['head.seoul'], 'red line'], [r['head.montreal'], 'Seoul can accept']] as const) {
      assert.equal(JSON.stringify(client.events).includes(foreign), false, 'never sent, not just hidden');
    }
    for (const account of ['chair', 'observer', 'head.seoul'] as const) {
      assert.equal(JSON.stringify(await snapshot(account, r.sessionId)).includes('red line'), false, `${account}'s snapshot`);
    }
    assert.ok(JSON.stringify(await snapshot('delegate.montreal', r.sessionId)).includes('red line'));
  });

  test('[S57] mentions are resolved by the server to delegations; the text stays as typed', async () => {
    const r = await room('head.montreal', 'head.seoul');
    const seoul = delegationId('Seoul');
    await accepted(r['head.montreal'].connection.send('chat.post_plenary', { text: '@seoul and @Atlantis, see OP 2 <b>now</b>' }));
    await eventually(() => r['head.seoul'].view().state.chat.messages.length === 1);
    const [message] = r['head.seoul'].view().state.chat.messages;
    assert.deepEqual({ text: message?.text, mentions: message?.mentions }, { text: '@seoul and @Atlantis, see OP 2 <b>now</b>', mentions: [seoul] });
  });

  test('[S58][S79] the chair deletes a plenary message: its text is gone for everyone — live, on a fresh join and in the record — and the record says who deleted it', async () => {
    const r = await room('chair', 'head.montreal', 'head.seoul');
    const { messageId = '' } = await accepted(r['head.montreal'].connection.send('chat.post_plenary', { text: 'Something that should not have been said' }));
    for (const client of [r.chair, r['head.seoul']]) await eventually(() => texts(client).length === 1);
    await accepted(r.chair.connection.send('chat.delete', { messageId }));
    const chairId = userIdOf(suite.server, demoEmail('chair'));
    for (const client of [r.chair, r['head.montreal'], r['head.seoul']]) {
      await eventually(() => client.view().state.chat.messages[0]?.deleted?.by === chairId);
      assert.equal(texts(client)[0], null);
    }
    assert.equal(JSON.stringify(await snapshot('head.seoul', r.sessionId)).includes('should not'), false);
    const record = (await (await fetch(`${suite.server.url}/api/sessions/${r.sessionId}/record`, { headers: { cookie: suite.cookies['head.seoul'] } })).json()) as { state: TSessionRoomState; events: unknown[] };
    assert.equal(JSON.stringify(record).includes('should not'), false);
    assert.equal(record.state.chat.messages[0]?.deleted?.by, chairId);
  });

  test('[S59][S60][S72][S73][S78] a consultation between two heads reaches only their delegations; a shared workspace arrives with its notes and leaves when revoked', async () => {
    const r = await room('chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'head.barcelona');
    const [montreal, seoul] = [delegationId('Montréal'), delegationId('Seoul')];
    const { documentId, pids } = await paragraphs();
    const { consultationId = '' } = await accepted(r['head.montreal'].connection.send('consultation.request', { delegationId: seoul }));
    await eventually(() => r['head.seoul'].view().state.chat.consultations[0]?.status === 'requested');
    await accepted(r['head.seoul'].connection.send('consultation.accept', { consultationId }));
    await accepted(r['delegate.montreal'].connection.send('chat.post_consultation', { consultationId, text: 'Could Seoul support “where feasible”?' }));
    await accepted(r['delegate.montreal'].connection.send('workspace.write', { documentId, pid: pids[2] ?? '', text: 'Fallback: “where feasible”' }));
    for (const client of [r['head.montreal'], r['head.seoul']]) await eventually(() => texts(client).includes('Could Seoul support “where feasible”?'));
    for (const client of [r.chair, r['head.barcelona']]) {
      assert.equal(JSON.stringify(client.view()).includes(consultationId), false);
      assert.equal(JSON.stringify(client.events).includes('where feasible'), false);
    }
    const seoulNotes = () => r['head.seoul'].view().state.workspace.notes.map((note) => note.text);
    assert.deepEqual(seoulNotes(), [], 'not shared yet');
    await accepted(r['head.montreal'].connection.send('workspace.share', { delegationId: seoul }));
    await eventually(() => seoulNotes().includes('Fallback: “where feasible”'));
    await accepted(r['delegate.montreal'].connection.send('workspace.write', { documentId, pid: pids[3] ?? '', text: 'Second thought' }));
    await eventually(() => seoulNotes().includes('Second thought'));
    assert.equal(JSON.stringify(r['head.barcelona'].events).includes('Second thought'), false);
    // Seoul writes in its own workspace, never in Montréal's, whatever paragraph it names.
    await accepted(r['head.seoul'].connection.send('workspace.write', { documentId, pid: pids[2] ?? '', text: 'overwrite theirs' }));
    assert.deepEqual(r['head.montreal'].view().state.workspace.notes.map((note) => note.delegationId), [montreal, montreal]);
    await accepted(r['head.montreal'].connection.send('workspace.unshare', {}));
    await eventually(() => !seoulNotes().some((text) => text.includes('Fallback')));
    assert.deepEqual(seoulNotes(), ['overwrite theirs']);
    const live = await snapshot('head.seoul', r.sessionId);
    assert.deepEqual(r['head.seoul'].view().state.workspace, live.workspace);
  });

  test('[S62][S65][S66][S67][S78] stances on a paragraph reach everyone, notes only their delegation; the chair keeps the map to the managers and opens it again', async () => {
    const r = await room('chair', 'head.montreal', 'delegate.montreal', 'head.seoul', 'observer');
    const [montreal, seoul] = [delegationId('Montréal'), delegationId('Seoul')];
    const { documentId, pids } = await paragraphs();
    const target = { kind: 'paragraph', pid: pids[1] ?? '' } as const;
    await accepted(r['head.montreal'].connection.send('position.record', { documentId, target, stance: 'object', note: 'Capital insists on “voluntary”' }));
    await accepted(r['head.seoul'].connection.send('position.record', { documentId, target, stance: 'support', note: '' }));
    const stancesOf = (client: TRoomClient) => client.view().state.positions.stances.filter((entry) => entry.documentId === documentId).map((entry) => `${entry.delegationId === montreal ? 'MTL' : entry.delegationId === seoul ? 'SEO' : '?'}:${entry.stance}`).sort();
    for (const client of [r.chair, r['delegate.montreal'], r['head.seoul'], r.observer]) await eventually(() => stancesOf(client).join() === 'MTL:object,SEO:support');
    assert.deepEqual(r['delegate.montreal'].view().state.positions.notes.map((note) => note.text), ['Capital insists on “voluntary”']);
    for (const client of [r.chair, r['head.seoul'], r.observer]) assert.equal(JSON.stringify(client.view()).includes('voluntary'), false);
    await accepted(r.chair.connection.send('positions.set_visibility', { visibility: 'managers' }));
    await eventually(() => stancesOf(r['head.seoul']).join() === 'SEO:support');
    await eventually(() => stancesOf(r.observer).length === 0);
    assert.deepEqual(stancesOf(r.chair), ['MTL:object', 'SEO:support']);
    await accepted(r['delegate.montreal'].connection.send('position.record', { documentId, target, stance: 'reserve', note: 'Capital insists on “voluntary”' }));
    await eventually(() => stancesOf(r.chair).join() === 'MTL:reserve,SEO:support');
    assert.deepEqual(stancesOf(r['head.seoul']), ['SEO:support'], 'not sent while the map is the chair’s');
    await accepted(r.chair.connection.send('positions.set_visibility', { visibility: 'everyone' }));
    await eventually(() => stancesOf(r.observer).join() === 'MTL:reserve,SEO:support');
    const live = await snapshot('chair', r.sessionId);
    assert.deepEqual(stateForViewer(await replayRoom(suite.server, r.sessionId, live.seq), { delegationId: null, manager: true }), live, 'the record replays to the chair’s room');
  });

  test('[S76][T39] after a move to another delegation, a reconnect brings that delegation’s channel and no longer the old one’s', async () => {
    const r = await room('delegate.montreal', 'head.seoul');
    await accepted(r['delegate.montreal'].connection.send('chat.post_delegation', { text: 'Montréal only' }));
    await accepted(r['head.seoul'].connection.send('chat.post_delegation', { text: 'Seoul only' }));
    const delegate = userIdOf(suite.server, demoEmail('delegate.montreal'));
    const move = (name: string) =>
      withServerDatabase(suite.server, (db) => db.prepare('UPDATE memberships SET delegation_id = ? WHERE user_id = ? AND negotiation_id = ?').run(delegationId(name), delegate, demoNegotiations(suite.server).metropolis), true);
    move('Seoul');
    try {
      r['delegate.montreal'].socket.disconnect();
      r['delegate.montreal'].socket.connect();
      await eventually(() => texts(r['delegate.montreal']).includes('Seoul only'));
      assert.equal(texts(r['delegate.montreal']).includes('Montréal only'), false);
    } finally {
      move('Montréal');
    }
  });
});
