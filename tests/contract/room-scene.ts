/**
 * A negotiation and session for the contract suite's room tests, and the room run over it without
 * sockets: the same pipeline the server runs, on whichever backend the suite opened.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../lib/db';
import type { TUser } from '../../lib/db/repositories/people';
import { listSessionEvents, type TSessionEvent } from '../../lib/db/repositories/sessions';
import { createNegotiation } from '../../lib/server/negotiations/create-negotiation';
import { scheduleSession } from '../../lib/server/negotiations/schedule-session';
import { verifyChain } from '../../lib/session/event-hash';
import type { TCommandAck } from '../../lib/session/room/commands';
import { foldSessionRoom } from '../../lib/session/room/reduce';
import { LiveSessionRoom } from '../../server/sessions/live-session-room';
import { buildDelegation, buildMembership, buildUser } from '../helpers/factories';

export interface TScene {
  db: Database;
  negotiationId: string;
  sessionId: string;
  secretariat: TUser;
  chair: TUser;
  heads: TUser[];
  delegate: TUser;
  observer: TUser;
  delegationIds: string[];
}

/** A negotiation with a chair, three member delegations (heads; a delegate of the first) and an observer, and a scheduled session. */
export async function buildScene(db: Database): Promise<TScene> {
  const secretariat = await buildUser(db, { accountRole: 'organizer' });
  const negotiation = await createNegotiation(db, secretariat, { title: 'Urban Heat Compact', format: 'multilateral', host: 'Athens', languages: ['en'], description: '' });
  const chair = await buildUser(db, { name: 'Chair' });
  await buildMembership(db, negotiation.id, chair, 'chair');
  const heads: TUser[] = [];
  const delegationIds: string[] = [];
  for (const name of ['Athens', 'Lisbon', 'Rotterdam']) {
    const { delegationId } = await buildDelegation(db, negotiation.id, { name });
    const head = await buildUser(db, { name: `Head of ${name}` });
    await buildMembership(db, negotiation.id, head, 'head', delegationId);
    heads.push(head);
    delegationIds.push(delegationId);
  }
  const delegate = await buildUser(db, { name: 'Delegate of Athens' });
  await buildMembership(db, negotiation.id, delegate, 'delegate', delegationIds[0]);
  const observer = await buildUser(db, { name: 'Observer' });
  await buildMembership(db, negotiation.id, observer, 'observer');
  const session = await scheduleSession(db, secretariat, negotiation.id, { title: 'Plenary', scheduledStart: '2031-05-01T09:00:00Z' });
  return { db, negotiationId: negotiation.id, sessionId: session.id, secretariat, chair, heads, delegate, observer, delegationIds };
}

/** A room over the scene's session, collecting what it publishes. */
export async function openRoom(scene: TScene): Promise<{ room: LiveSessionRoom; published: TSessionEvent[] }> {
  const published: TSessionEvent[] = [];
  const room = await LiveSessionRoom.open(scene.db, { id: scene.sessionId, negotiationId: scene.negotiationId }, (events) => published.push(...events));
  return { room, published };
}

/** Who sends a command: the user, as the socket layer knows them. */
export function sender(user: TUser) {
  return { userId: user.id, accountRole: user.accountRole };
}

/** Sends a command with a fresh client message id (or the one given). */
export function send(room: LiveSessionRoom, user: TUser, type: string, input: unknown, clientMsgId: string = randomUUID()): Promise<TCommandAck> {
  return room.submit(sender(user), { clientMsgId, type, input });
}

/** The stored log verifies and replays to exactly the live room. */
export async function assertReplayEqualsLive(db: Database, room: LiveSessionRoom): Promise<void> {
  const stored = await listSessionEvents(db, room.session.id);
  assert.equal(verifyChain(stored).ok, true, 'the hash chain holds');
  assert.deepEqual(foldSessionRoom(room.session.id, stored), room.state, 'replaying the stored log gives the live room');
}

