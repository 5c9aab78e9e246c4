/**
 * The speakers' list and the floor (S5–S14): requests by kind, one entry per delegation unless the
 * chair allows more, points of order first, the chair's grant / skip / move / remove, and the
 * speaking timer whose times the server alone sets.
 */
import type { Queryable } from '../../../db';
import { mayDesignateSpeakerOf } from '../../../policy/floor';
import { findDelegationInNegotiation, listDelegations, listMemberships, type TMembership } from '../../../db/repositories/negotiations';
import { budgetOf, budgetRemainingMs } from '../../../session/room/budgets';
import { entrantOf, isFirstClass, SPEAKING_ROLES, waitingEntries } from '../../../session/room/speakers';
import type { TFloorRequest, TSessionRoomState, TSpeech } from '../../../session/room/state';
import type { TFloorKind } from '../../../shared/domain';
import { proposeEvent, type TProposedEvent } from '../record-event';
import { accept, isObserver, refuse, statusRefusal, type TCommandContext, type TCommandHandlers, type TDecision } from './command-registry';

/** Runs `decide` on a waiting request, when the status allows it and the request exists. */
function onRequest(state: TSessionRoomState, requestId: string, needs: 'live' | 'open', decide: (request: TFloorRequest) => TDecision): TDecision {
  const blocked = statusRefusal(state.status, needs);
  if (blocked) return refuse(blocked);
  const request = state.floor.queue.find((entry) => entry.requestId === requestId);
  return request ? decide(request) : refuse('not_found');
}

/** Runs `decide` on the speech on the floor, when it is the one the chair is looking at. */
function onSpeech<Result extends TDecision | Promise<TDecision>>(state: TSessionRoomState, speechId: string, needs: 'live' | 'open', decide: (speech: TSpeech) => Result): TDecision | Result {
  const blocked = statusRefusal(state.status, needs);
  if (blocked) return refuse(blocked);
  const speech = state.floor.speech;
  return speech && speech.speechId === speechId ? decide(speech) : refuse('not_found');
}

/**
 * S10, S12: gives the floor. The speech on the floor (if any) ends first; the new one's limit is the
 * kind's limit, cut to what is left of the speaker's group budget; the timer starts at once.
 */
function grantFloor(
  { state, now, newId }: TCommandContext,
  speaker: { requestId: string | null; kind: TFloorKind; userId: string | null; delegationId: string | null },
): TDecision {
  const settings = state.floor.settings;
  let limitSeconds = settings.limitSeconds[speaker.kind];
  const budget = budgetOf(state, speaker.delegationId);
  if (budget) {
    const remaining = budgetRemainingMs(state, budget, now);
    if (remaining <= 0) return refuse('budget_exhausted');
    limitSeconds = Math.min(limitSeconds, Math.ceil(remaining / 1000));
  }
  const speechId = newId();
  const events: TProposedEvent[] = [];
  if (state.floor.speech) events.push(proposeEvent('speech.ended', { speechId: state.floor.speech.speechId }));
  events.push(
    proposeEvent('floor.granted', { speechId, ...speaker, limitSeconds, warningSeconds: Math.min(settings.warningSeconds, limitSeconds) }),
    proposeEvent('speech.started', { speechId }),
  );
  return accept(events, { speechId });
}

/** The people who may speak for a delegation, as the database has them now. */
async function speakersOf(tx: Queryable, negotiationId: string, delegationId: string): Promise<TMembership[]> {
  return (await listMemberships(tx, negotiationId)).filter((membership) => membership.delegationId === delegationId && SPEAKING_ROLES.includes(membership.role));
}

/**
 * S80: who speaks when the chair gives the floor directly to a delegation without naming anyone: its
 * head — the one in the room when there is one — or, for a delegation without a head (an observer
 * delegation), the first of its people in the room, else the first of its people.
 */
function defaultSpeaker(candidates: readonly TMembership[], state: TSessionRoomState): TMembership | undefined {
  const present = new Set(state.attendance.present.map((person) => person.userId));
  const heads = candidates.filter((membership) => membership.role === 'head');
  const pool = heads.length > 0 ? heads : candidates;
  return pool.find((membership) => present.has(membership.userId)) ?? pool[0];
}

type TFloorCommand =
  | 'floor.request'
  | 'floor.withdraw'
  | 'floor.remove'
  | 'floor.move'
  | 'floor.skip'
  | 'floor.grant'
  | 'floor.designate'
  | 'speech.pause'
  | 'speech.resume'
  | 'speech.end'
  | 'floor.settings';

export const FLOOR_COMMANDS: TCommandHandlers<TFloorCommand> = {
  'floor.request': {
    action: 'floor.request',
    decide({ state, actor, newId, now }, { kind }) {
      const blocked = statusRefusal(state.status, 'live');
      if (blocked) return refuse(blocked);
      if (isObserver(actor) && !state.floor.settings.observersMayTakeFloor) return refuse('observers_not_allowed');
      const waiting = waitingEntries(state, entrantOf(actor));
      const full = isFirstClass(kind) ? waiting.pointsOfOrder >= 1 : waiting.others >= state.floor.settings.maxEntriesPerDelegation;
      if (full) return refuse('already_requested');
      const budget = budgetOf(state, actor.delegationId);
      if (budget && budgetRemainingMs(state, budget, now) <= 0) return refuse('budget_exhausted');
      const requestId = newId();
      return accept([proposeEvent('floor.requested', { requestId, kind, userId: actor.userId, delegationId: actor.delegationId })], { requestId });
    },
  },
  // The requester, or anyone of the same delegation, may take a request back; the chair removes.
  'floor.withdraw': {
    action: 'floor.request',
    decide: ({ state, actor }, { requestId }) =>
      onRequest(state, requestId, 'open', (request) =>
        entrantOf(request) === entrantOf(actor) ? accept([proposeEvent('floor.request_withdrawn', { requestId })]) : refuse('forbidden'),
      ),
  },
  'floor.remove': {
    action: 'floor.manage',
    decide: ({ state }, { requestId }) => onRequest(state, requestId, 'open', () => accept([proposeEvent('floor.request_removed', { requestId })])),
  },
  'floor.move': {
    action: 'floor.manage',
    decide: ({ state }, { requestId, toIndex }) =>
      onRequest(state, requestId, 'open', (request) =>
        // Points of order keep the order in which they were raised (S5).
        isFirstClass(request.kind) ? refuse('invalid_input') : accept([proposeEvent('floor.request_moved', { requestId, toIndex })]),
      ),
  },
  'floor.skip': {
    action: 'floor.manage',
    decide: ({ state }, { requestId }) => onRequest(state, requestId, 'live', () => accept([proposeEvent('floor.request_skipped', { requestId })])),
  },
  'floor.grant': {
    action: 'floor.manage',
    async decide(context, input) {
      const { state, tx, session } = context;
      const blocked = statusRefusal(state.status, 'live');
      if (blocked) return refuse(blocked);
      if ('requestId' in input) {
        const request = state.floor.queue.find((entry) => entry.requestId === input.requestId);
        if (!request) return refuse('not_found');
        return grantFloor(context, { requestId: request.requestId, kind: request.kind, userId: request.userId, delegationId: request.delegationId });
      }
      // Directly to a delegation that is not on the list: it must be accredited to this negotiation,
      // and the speech names its speaker — the one the chair chose among its people, or its head (S80).
      const delegation = await findDelegationInNegotiation(tx, session.negotiationId, input.delegationId);
      if (!delegation) return refuse('not_found');
      const candidates = await speakersOf(tx, session.negotiationId, delegation.id);
      const speaker = input.userId === undefined ? defaultSpeaker(candidates, state) : candidates.find((membership) => membership.userId === input.userId);
      if (!speaker) return refuse('not_found');
      return grantFloor(context, { requestId: null, kind: 'regular', userId: speaker.userId, delegationId: delegation.id });
    },
  },
  // S81: the head of the delegation on the floor, or the chair, names who speaks in its name.
  'floor.designate': {
    action: 'floor.designate',
    decide: ({ state, tx, session, actor }, { speechId, userId }) =>
      onSpeech(state, speechId, 'live', async (speech) => {
        if (speech.delegationId === null) return refuse('invalid_transition');
        if (!mayDesignateSpeakerOf(actor, speech.delegationId)) return refuse('forbidden');
        if (speech.userId === userId) return refuse('invalid_transition');
        const candidates = await speakersOf(tx, session.negotiationId, speech.delegationId);
        if (!candidates.some((membership) => membership.userId === userId)) return refuse('not_found');
        return accept([proposeEvent('floor.speaker_designated', { speechId, userId })]);
      }),
  },
  'speech.pause': {
    action: 'floor.manage',
    decide: ({ state }, { speechId }) =>
      onSpeech(state, speechId, 'live', (speech) =>
        speech.runningSince === null ? refuse('invalid_transition') : accept([proposeEvent('speech.paused', { speechId })]),
      ),
  },
  'speech.resume': {
    action: 'floor.manage',
    decide: ({ state }, { speechId }) =>
      onSpeech(state, speechId, 'live', (speech) =>
        speech.runningSince !== null ? refuse('invalid_transition') : accept([proposeEvent('speech.resumed', { speechId })]),
      ),
  },
  'speech.end': {
    action: 'floor.manage',
    decide: ({ state }, { speechId }) => onSpeech(state, speechId, 'open', () => accept([proposeEvent('speech.ended', { speechId })])),
  },
  'floor.settings': {
    action: 'floor.manage',
    async decide({ state, tx, session }, { settings }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      const accredited = new Set((await listDelegations(tx, session.negotiationId)).map((delegation) => delegation.id));
      const foreign = settings.budgets.some((budget) => budget.delegationIds.some((id) => !accredited.has(id)));
      return foreign ? refuse('invalid_input') : accept([proposeEvent('floor.settings_changed', { settings })]);
    },
  },
};
