/**
 * Side rooms (docs/PROTOCOL.md V23–V26): the chair opens a breakout for some delegations — informal
 * consultations, a bilateral talk — with its own media room; its people move into it and come back
 * to the plenary; the chair closes it and everyone is back. Who may enter is the policy's
 * (`mayEnterSideRoom`), checked against the membership as the database has it now.
 */
import { listDelegations, listMemberships } from '../../../db/repositories/negotiations';
import { mayEnterSideRoom } from '../../../policy/media';
import type { TSideRoom } from '../../../session/room/state';
import { proposeEvent } from '../record-event';
import { accept, refuse, statusRefusal, type TCommandContext, type TCommandHandlers, type TDecision } from './command-registry';

/** More open side rooms than this is a mistake, not a meeting: the state stays small. */
export const MAX_OPEN_SIDE_ROOMS = 12;

/** Runs `decide` on an open side room of a session not closed; `not_found` for an unknown one. */
function onOpenSideRoom(context: TCommandContext, sideRoomId: string, decide: (room: TSideRoom) => TDecision): TDecision {
  const blocked = statusRefusal(context.state.status, 'open');
  if (blocked) return refuse(blocked);
  const room = context.state.sideRooms.find((candidate) => candidate.sideRoomId === sideRoomId);
  if (!room) return refuse('not_found');
  return room.closedAt === null ? decide(room) : refuse('invalid_transition');
}

export const SIDE_ROOM_COMMANDS: TCommandHandlers<'side_room.open' | 'side_room.join' | 'side_room.leave' | 'side_room.close'> = {
  'side_room.open': {
    action: 'side_room.manage',
    async decide(context, { title, delegationIds, userIds }) {
      const { state, tx, session } = context;
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      if (state.sideRooms.filter((room) => room.closedAt === null).length >= MAX_OPEN_SIDE_ROOMS) return refuse('invalid_transition');
      // Only this negotiation's delegations and members: ids from the client prove nothing.
      const delegations = new Set((await listDelegations(tx, session.negotiationId)).map((delegation) => delegation.id));
      const members = new Set((await listMemberships(tx, session.negotiationId)).map((membership) => membership.userId));
      if (!delegationIds.every((id) => delegations.has(id)) || !userIds.every((id) => members.has(id))) return refuse('not_found');
      const sideRoomId = context.newId();
      return accept([proposeEvent('side_room.opened', { sideRoomId, title, delegationIds, userIds })], { sideRoomId });
    },
  },
  'side_room.join': {
    action: 'session.attend',
    decide: (context, { sideRoomId }) =>
      onOpenSideRoom(context, sideRoomId, (room) => {
        const { actor, state } = context;
        // V10: whom the chair removed from the video stays out of every media room of the session.
        if (!mayEnterSideRoom(actor, room) || state.video.removed.includes(actor.userId)) return refuse('forbidden');
        if (room.present.includes(actor.userId)) return refuse('invalid_transition');
        return accept([proposeEvent('side_room.joined', { sideRoomId, userId: actor.userId })]);
      }),
  },
  'side_room.leave': {
    action: 'session.attend',
    decide: (context, { sideRoomId }) =>
      onOpenSideRoom(context, sideRoomId, (room) =>
        room.present.includes(context.actor.userId) ? accept([proposeEvent('side_room.left', { sideRoomId, userId: context.actor.userId })]) : refuse('not_in_side_room'),
      ),
  },
  'side_room.close': {
    action: 'side_room.manage',
    decide: (context, { sideRoomId }) => onOpenSideRoom(context, sideRoomId, () => accept([proposeEvent('side_room.closed', { sideRoomId })])),
  },
};
