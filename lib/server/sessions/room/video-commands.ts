/**
 * The chair's media moderation (docs/PROTOCOL.md V7–V11): every action is a session-log event first;
 * the media server is told after the commit (server/video/livekit-room-control.ts), so the record
 * never misses an action and LiveKit never acts on one the log lacks.
 */
import { findMembership } from '../../../db/repositories/negotiations';
import { proposeEvent } from '../record-event';
import { accept, refuse, statusRefusal, type TCommandContext, type TCommandHandlers, type TDecision } from './command-registry';

/** Refuses a closed session; media moderation may prepare a scheduled or suspended one. */
function whenOpen({ state }: TCommandContext, decide: () => TDecision | Promise<TDecision>): TDecision | Promise<TDecision> {
  const blocked = statusRefusal(state.status, 'open');
  return blocked ? refuse(blocked) : decide();
}

/** The target must be a member of this negotiation (a user id from the client proves nothing). */
async function memberOf(context: TCommandContext, userId: string): Promise<boolean> {
  return (await findMembership(context.tx, context.session.negotiationId, userId)) !== undefined;
}

export const VIDEO_COMMANDS: TCommandHandlers<'video.set_mode' | 'video.mute_track' | 'video.remove_participant' | 'video.mute_all_but_floor'> = {
  'video.set_mode': {
    action: 'video.moderate',
    decide: (context, { mode }) =>
      whenOpen(context, () =>
        context.state.video.mode === mode ? refuse('invalid_transition') : accept([proposeEvent('video.mode_changed', { from: context.state.video.mode, to: mode })]),
      ),
  },
  'video.mute_track': {
    action: 'video.moderate',
    decide: (context, { userId, trackSid }) =>
      whenOpen(context, async () => ((await memberOf(context, userId)) ? accept([proposeEvent('video.track_muted', { userId, trackSid })]) : refuse('not_found'))),
  },
  'video.remove_participant': {
    action: 'video.moderate',
    decide: (context, { userId }) =>
      whenOpen(context, async () => {
        if (!(await memberOf(context, userId))) return refuse('not_found');
        // V10: removal is for the rest of the session; removing twice changes nothing.
        if (context.state.video.removed.includes(userId)) return refuse('invalid_transition');
        return accept([proposeEvent('video.participant_removed', { userId })]);
      }),
  },
  'video.mute_all_but_floor': {
    action: 'video.moderate',
    decide: (context) => whenOpen(context, () => accept([proposeEvent('video.muted_all_but_floor', {})])),
  },
};
