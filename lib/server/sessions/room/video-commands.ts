/**
 * The chair's media moderation (docs/PROTOCOL.md V7–V11): every action is a session-log event first;
 * the media server is told after the commit (server/video/livekit-room-control.ts), so the record
 * never misses an action and LiveKit never acts on one the log lacks.
 */
import { findMembership, findNegotiationById } from '../../../db/repositories/negotiations';
import { mediaTransport } from '../../video/media-transport';
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

type TVideoCommand =
  | 'video.set_mode'
  | 'video.mute_track'
  | 'video.remove_participant'
  | 'video.mute_all_but_floor'
  | 'video.start_recording'
  | 'video.stop_recording'
  | 'interpretation.hand_over';

export const VIDEO_COMMANDS: TCommandHandlers<TVideoCommand> = {
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
  /** V18: only a media server records; the mesh has nothing to record with. */
  'video.start_recording': {
    action: 'video.moderate',
    decide: async ({ state }) => {
      const blocked = statusRefusal(state.status, 'live');
      if (blocked) return refuse(blocked);
      if ((await mediaTransport()).kind !== 'livekit') return refuse('recording_unavailable');
      return state.video.recording ? refuse('invalid_transition') : accept([proposeEvent('video.recording_requested', {})]);
    },
  },
  /** V20: stops the running recording; one still starting has no egress to stop yet. */
  'video.stop_recording': {
    action: 'video.moderate',
    decide: (context) =>
      whenOpen(context, () => {
        const egressId = context.state.video.recording?.egressId;
        return egressId ? accept([proposeEvent('video.recording_stopped', { egressId })]) : refuse('invalid_transition');
      }),
  },
  /**
   * V21: the chair or secretariat hands a language's booth to any interpreter; an interpreter hands
   * over the booth they hold, or takes an empty one for themselves.
   */
  'interpretation.hand_over': {
    action: 'interpretation.handover',
    decide: (context, { language, userId }) =>
      whenOpen(context, async () => {
        const { actor, state, tx, session } = context;
        const holder = state.video.booths.find((booth) => booth.language === language)?.userId ?? null;
        const manages = actor.role === 'chair' || actor.role === 'secretariat';
        const mayHandOver = manages || holder === actor.userId || (holder === null && userId === actor.userId);
        if (!mayHandOver) return refuse('forbidden');
        if (!(await findNegotiationById(tx, session.negotiationId))?.languages.some((spoken) => spoken === language)) return refuse('invalid_input');
        if ((await findMembership(tx, session.negotiationId, userId))?.role !== 'interpreter') return refuse('not_found');
        if (holder === userId) return refuse('invalid_transition');
        return accept([proposeEvent('interpretation.booth_handed_over', { language, from: holder, to: userId })]);
      }),
  },
};
