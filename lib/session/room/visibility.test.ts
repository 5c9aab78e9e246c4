import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TSessionEventPayload, TSessionEventType } from '../events';
import { SESSION_EVENT_PAYLOADS } from '../events';
import { foldSessionRoom, reduceSessionRoom } from './reduce';
import type { TRoomEvent, TSessionRoomState } from './state';
import { audienceOf, reaches, RESCOPING_EVENTS, socketRoomsOfAudience, socketRoomsOfViewer, stateForViewer, type TAudience, type TViewerScope } from './visibility';

const SESSION = 'session-1';
const HASH = 'a'.repeat(64);
const P1 = { kind: 'paragraph', pid: 'p1' } as const;

test('[S23] every catalogued event type names an audience; text, comments and unknown types never reach the room', () => {
  for (const type of Object.keys(SESSION_EVENT_PAYLOADS)) {
    const payload = { channel: { kind: 'plenary' }, delegationIds: ['a', 'b'], delegationId: 'a', visibility: 'everyone', sharedWith: null, partnerDelegationId: 'b' };
    assert.ok(['room', 'nobody', 'delegation', 'managers', 'delegations'].includes(audienceOf({ type, payload }).kind), type);
  }
  // A delegation-only comment carries its body in the log; the plenary must never receive it.
  assert.deepEqual(audienceOf({ type: 'comment.added', payload: { visibility: 'delegation', body: 'our red line' } }), { kind: 'nobody' });
  assert.deepEqual(audienceOf({ type: 'document.updated', payload: {} }), { kind: 'nobody' });
  assert.deepEqual(audienceOf({ type: 'vote.secret_choice', payload: {} }), { kind: 'nobody' });
  assert.deepEqual(audienceOf({ type: '__proto__', payload: {} }), { kind: 'nobody' });
  assert.deepEqual(audienceOf({ type: 'floor.granted', payload: {} }), { kind: 'room' });
});

/** A log under construction: typed events with consecutive seqs, each by a user of a delegation. */
function logOf() {
  const events: TRoomEvent[] = [];
  return {
    events,
    add<Type extends TSessionEventType>(type: Type, payload: TSessionEventPayload<Type>, by: { userId?: string; delegationId?: string | null; content?: string } = {}): void {
      const event: TRoomEvent = { seq: events.length + 1, at: 1_000 * (events.length + 1), userId: by.userId ?? null, delegationId: by.delegationId ?? null, role: null, type, payload };
      events.push(by.content === undefined ? event : { ...event, content: by.content });
    },
  };
}

const MTL = { userId: 'head-mtl', delegationId: 'mtl' };
const SEO = { userId: 'head-seo', delegationId: 'seo' };

/** A session touching every kind of private data: channels, a consultation, stances under both map settings, notes, a shared workspace. */
function privateSession(): TRoomEvent[] {
  const log = logOf();
  log.add('session.scheduled', { title: 'Plenary', scheduledStart: 0 });
  log.add('quorum.roster_recorded', { rule: 'majority', delegations: ['mtl', 'seo', 'bcn'].map((delegationId) => ({ delegationId, status: 'member' as const })) });
  log.add('chat.message_posted', { messageId: 'm-plenary', channel: { kind: 'plenary' }, textHash: HASH, mentions: ['seo'] }, { ...MTL, content: 'Hello @Seoul' });
  log.add('chat.message_posted', { messageId: 'm-mtl', channel: { kind: 'delegation', delegationId: 'mtl' }, textHash: HASH, mentions: [] }, { ...MTL, content: 'our red line is OP 3' });
  log.add('chat.message_posted', { messageId: 'm-seo', channel: { kind: 'delegation', delegationId: 'seo' }, textHash: HASH, mentions: [] }, { ...SEO, content: 'we can live with OP 3' });
  log.add('consultation.requested', { consultationId: 'c1', delegationIds: ['mtl', 'seo'] }, MTL);
  log.add('consultation.accepted', { consultationId: 'c1', delegationIds: ['mtl', 'seo'] }, SEO);
  log.add('chat.message_posted', { messageId: 'm-c1', channel: { kind: 'consultation', consultationId: 'c1', delegationIds: ['mtl', 'seo'] }, textHash: HASH, mentions: [] }, { ...SEO, content: 'between us' });
  log.add('position.recorded', { delegationId: 'mtl', documentId: 'doc', target: P1, stance: 'object', visibility: 'everyone' }, MTL);
  log.add('position.note_set', { delegationId: 'mtl', documentId: 'doc', target: P1, text: 'capital says no' }, MTL);
  log.add('positions.visibility_changed', { from: 'everyone', to: 'managers' });
  log.add('position.recorded', { delegationId: 'seo', documentId: 'doc', target: P1, stance: 'support', visibility: 'managers' }, SEO);
  log.add('positions.synced', { delegationId: 'bcn', visibility: 'managers', stances: [{ documentId: 'doc', target: P1, stance: 'reserve' }] });
  log.add('position_notes.synced', { delegationId: 'bcn', notes: [{ documentId: 'doc', target: P1, text: 'ask Madrid' }] });
  log.add('workspace.note_set', { delegationId: 'mtl', documentId: 'doc', pid: 'p1', text: 'draft a compromise', sharedWith: null }, MTL);
  log.add('workspace.shared', { delegationId: 'mtl', partnerDelegationId: 'seo' }, MTL);
  log.add('workspace.note_set', { delegationId: 'mtl', documentId: 'doc', pid: 'p1', text: 'compromise: “where feasible”', sharedWith: 'seo' }, MTL);
  log.add('workspace.notes_synced', { delegationId: 'seo', notes: [{ documentId: 'doc', target: P1, text: 'seoul only' }], sharedWith: null });
  log.add('chat.message_deleted', { messageId: 'm-plenary' }, { userId: 'chair' });
  log.add('chat.participant_muted', { userId: 'head-mtl' }, { userId: 'chair' });
  log.add('workspace.unshared', { delegationId: 'mtl', partnerDelegationId: 'seo', reason: 'consultation_closed' }, MTL);
  log.add('consultation.closed', { consultationId: 'c1', delegationIds: ['mtl', 'seo'] }, MTL);
  log.add('positions.visibility_changed', { from: 'managers', to: 'everyone' });
  log.add('workspace.shared', { delegationId: 'seo', partnerDelegationId: 'mtl' }, SEO);
  return log.events;
}

const VIEWERS: Record<string, TViewerScope> = {
  chair: { delegationId: null, manager: true },
  montreal: { delegationId: 'mtl', manager: false },
  seoul: { delegationId: 'seo', manager: false },
  barcelona: { delegationId: 'bcn', manager: false },
  observer: { delegationId: null, manager: false },
};

/** The state without its seq (a viewer's seq is the last event it was sent). */
const withoutSeq = ({ seq: _seq, ...rest }: TSessionRoomState) => rest;

describe('[S76] what each viewer may see of the room', () => {
  test('[S52][S76] delegation channels and consultations reach only their delegations — not the chair, not another delegation', () => {
    const state = foldSessionRoom(SESSION, privateSession().slice(0, 8));
    const texts = (viewer: TViewerScope) => stateForViewer(state, viewer).chat.messages.map((message) => message.text);
    assert.deepEqual(texts(VIEWERS.chair!), ['Hello @Seoul']);
    assert.deepEqual(texts(VIEWERS.observer!), ['Hello @Seoul']);
    assert.deepEqual(texts(VIEWERS.montreal!), ['Hello @Seoul', 'our red line is OP 3', 'between us']);
    assert.deepEqual(texts(VIEWERS.seoul!), ['Hello @Seoul', 'we can live with OP 3', 'between us']);
    assert.deepEqual(texts(VIEWERS.barcelona!), ['Hello @Seoul']);
    assert.deepEqual(stateForViewer(state, VIEWERS.chair!).chat.consultations, []);
    assert.deepEqual(stateForViewer(state, VIEWERS.barcelona!).chat.consultations, []);
    assert.equal(stateForViewer(state, VIEWERS.seoul!).chat.consultations[0]?.status, 'open');
  });

  test('[S65][S67] notes are their delegation’s alone; while the map is the chair’s, others see only their own stance', () => {
    const state = foldSessionRoom(SESSION, privateSession().slice(0, 14));
    const seen = (viewer: TViewerScope) => {
      const view = stateForViewer(state, viewer);
      return { stances: view.positions.stances.map((entry) => `${entry.delegationId}:${entry.stance}`), notes: view.positions.notes.map((entry) => entry.text) };
    };
    assert.deepEqual(seen(VIEWERS.chair!), { stances: ['mtl:object', 'seo:support', 'bcn:reserve'], notes: [] });
    assert.deepEqual(seen(VIEWERS.montreal!), { stances: ['mtl:object'], notes: ['capital says no'] });
    assert.deepEqual(seen(VIEWERS.barcelona!), { stances: ['bcn:reserve'], notes: ['ask Madrid'] });
    assert.deepEqual(seen(VIEWERS.observer!), { stances: [], notes: [] });
  });

  test('[S72][S73] a workspace is its delegation’s, and its partner’s to read while shared; a deleted message has no text for anyone', () => {
    const shared = foldSessionRoom(SESSION, privateSession().slice(0, 19));
    const notes = (state: TSessionRoomState, viewer: TViewerScope) => stateForViewer(state, viewer).workspace.notes.map((entry) => `${entry.delegationId}:${entry.text}`);
    assert.deepEqual(notes(shared, VIEWERS.seoul!), ['mtl:compromise: “where feasible”', 'seo:seoul only']);
    assert.deepEqual(notes(shared, VIEWERS.montreal!), ['mtl:compromise: “where feasible”'], 'Seoul did not share back');
    assert.deepEqual(notes(shared, VIEWERS.chair!), []);
    assert.deepEqual(notes(shared, VIEWERS.barcelona!), []);
    const deleted = stateForViewer(shared, VIEWERS.chair!).chat.messages[0];
    assert.deepEqual({ text: deleted?.text, deleted: deleted?.deleted }, { text: null, deleted: { by: 'chair', at: 19_000 } });
    const after = foldSessionRoom(SESSION, privateSession().slice(0, 21));
    assert.deepEqual(notes(after, VIEWERS.seoul!), ['seo:seoul only'], 'unshared when the consultation closes');
  });

  test('[S77][S78] live = snapshot: a viewer folding only the events it is sent (and the room re-sent after a rescoping event) holds exactly its view of the room', () => {
    const events = privateSession();
    for (const [name, viewer] of Object.entries(VIEWERS)) {
      for (let joinedAt = 0; joinedAt < events.length; joinedAt += 1) {
        let client = stateForViewer(foldSessionRoom(SESSION, events.slice(0, joinedAt)), viewer);
        for (let index = joinedAt; index < events.length; index += 1) {
          const event = events[index]!;
          if (reaches(audienceOf(event), viewer)) client = reduceSessionRoom(client, event);
          if (RESCOPING_EVENTS.has(event.type)) client = stateForViewer(foldSessionRoom(SESSION, events.slice(0, index + 1)), viewer);
          const server = stateForViewer(foldSessionRoom(SESSION, events.slice(0, index + 1)), viewer);
          assert.deepEqual(withoutSeq(client), withoutSeq(server), `${name}, joined after ${joinedAt} events, at ${event.type} (seq ${event.seq})`);
        }
      }
    }
  });

  test('[S77] an audience reaches a viewer exactly when they share a socket room', () => {
    const audiences: TAudience[] = [
      { kind: 'room' },
      { kind: 'nobody' },
      { kind: 'managers' },
      { kind: 'delegation', delegationId: 'mtl' },
      { kind: 'delegations', delegationIds: ['mtl', 'seo'], managers: false },
      { kind: 'delegations', delegationIds: ['bcn'], managers: true },
    ];
    for (const audience of audiences) {
      for (const [name, viewer] of Object.entries(VIEWERS)) {
        const rooms = new Set(socketRoomsOfViewer(SESSION, viewer));
        const shared = socketRoomsOfAudience(SESSION, audience).some((room) => rooms.has(room));
        assert.equal(shared, reaches(audience, viewer), `${JSON.stringify(audience)} → ${name}`);
      }
    }
  });
});
