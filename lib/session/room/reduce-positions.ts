/**
 * The reducer's part for positions, their notes and the delegation workspace (S62–S75): pure. A
 * `…synced` event replaces one delegation's entries with what the negotiation has stored (they may
 * have changed in another session); the others change one entry.
 */
import type { TSessionEventType } from '../events';
import { upsertEntry, type TNoteEntry, type TStanceEntry } from './positions';
import type { THandler } from './reduce';

type TPositionEventType = Extract<TSessionEventType, `position.${string}` | `positions.${string}` | `position_notes.${string}` | `workspace.${string}`>;

/** The delegation's entries replaced by `replacement`, keeping everyone else's where they are. */
function replaceDelegation<Entry extends { delegationId: string }>(entries: readonly Entry[], delegationId: string, replacement: readonly Entry[]): Entry[] {
  return [...entries.filter((entry) => entry.delegationId !== delegationId), ...replacement];
}

/** A note entry, or null (removal) for an empty note. */
function noteOrNone(entry: TNoteEntry): TNoteEntry | null {
  return entry.text === '' ? null : entry;
}

export const POSITION_HANDLERS: { [Type in TPositionEventType]: THandler<Type> } = {
  'position.recorded': (state, { payload: { delegationId, documentId, target, stance } }) => ({
    ...state,
    positions: { ...state.positions, stances: upsertEntry(state.positions.stances, { delegationId, documentId, target }, stance === null ? null : { delegationId, documentId, target, stance }) },
  }),
  'position.note_set': (state, { payload: { delegationId, documentId, target, text } }) => ({
    ...state,
    positions: { ...state.positions, notes: upsertEntry(state.positions.notes, { delegationId, documentId, target }, noteOrNone({ delegationId, documentId, target, text })) },
  }),
  'positions.visibility_changed': (state, { payload }) => ({ ...state, positions: { ...state.positions, visibility: payload.to } }),
  'positions.synced': (state, { payload }) => ({
    ...state,
    positions: {
      ...state.positions,
      stances: replaceDelegation<TStanceEntry>(state.positions.stances, payload.delegationId, payload.stances.map((item) => ({ delegationId: payload.delegationId, ...item }))),
    },
  }),
  'position_notes.synced': (state, { payload }) => ({
    ...state,
    positions: { ...state.positions, notes: replaceDelegation(state.positions.notes, payload.delegationId, payload.notes.map((item) => ({ delegationId: payload.delegationId, ...item }))) },
  }),
  'workspace.note_set': (state, { payload: { delegationId, documentId, pid, text } }) => {
    const target = { kind: 'paragraph', pid } as const;
    return { ...state, workspace: { ...state.workspace, notes: upsertEntry(state.workspace.notes, { delegationId, documentId, target }, noteOrNone({ delegationId, documentId, target, text })) } };
  },
  'workspace.notes_synced': (state, { payload }) => ({
    ...state,
    workspace: { ...state.workspace, notes: replaceDelegation(state.workspace.notes, payload.delegationId, payload.notes.map((item) => ({ delegationId: payload.delegationId, ...item }))) },
  }),
  'workspace.shared': (state, { payload }) => ({
    ...state,
    workspace: { ...state.workspace, shares: [...state.workspace.shares.filter((share) => share.delegationId !== payload.delegationId), { ...payload }] },
  }),
  'workspace.unshared': (state, { payload }) => ({
    ...state,
    workspace: {
      ...state.workspace,
      shares: state.workspace.shares.filter((share) => !(share.delegationId === payload.delegationId && share.partnerDelegationId === payload.partnerDelegationId)),
    },
  }),
};
