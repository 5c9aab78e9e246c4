/** The agenda (S8, S9): items with planned durations, their order, and the item under discussion. */
import { findLiveDocument } from '../../../db/repositories/documents';
import type { TSessionRoomState } from '../../../session/room/state';
import { proposeEvent } from '../record-event';
import { accept, refuse, statusRefusal, type TCommandHandlers, type TDecision } from './command-registry';

/** Runs `decide` only when the session is not closed and, if given, the item exists. */
function onAgenda(state: TSessionRoomState, itemId: string | null, decide: () => TDecision): TDecision {
  const blocked = statusRefusal(state.status, 'open');
  if (blocked) return refuse(blocked);
  if (itemId !== null && !state.agenda.items.some((item) => item.itemId === itemId)) return refuse('not_found');
  return decide();
}

export const AGENDA_COMMANDS: TCommandHandlers<'agenda.add' | 'agenda.edit' | 'agenda.remove' | 'agenda.move' | 'agenda.set_current' | 'agenda.next'> = {
  'agenda.add': {
    action: 'agenda.manage',
    async decide({ tx, state, session, newId }, { title, plannedMinutes, documentId }) {
      // S9: an item may name the document it is about; only one of this negotiation's.
      if (documentId && (await findLiveDocument(tx, documentId))?.negotiationId !== session.negotiationId) return refuse('not_found');
      return onAgenda(state, null, () => {
        const itemId = newId();
        const about = documentId ? { documentId } : {};
        return accept([proposeEvent('agenda.item_added', { itemId, title, plannedMinutes, index: state.agenda.items.length, ...about })], { itemId });
      });
    },
  },
  'agenda.edit': {
    action: 'agenda.manage',
    decide: ({ state }, { itemId, title, plannedMinutes }) =>
      onAgenda(state, itemId, () => accept([proposeEvent('agenda.item_edited', { itemId, title, plannedMinutes })])),
  },
  'agenda.remove': {
    action: 'agenda.manage',
    decide: ({ state }, { itemId }) => onAgenda(state, itemId, () => accept([proposeEvent('agenda.item_removed', { itemId })])),
  },
  'agenda.move': {
    action: 'agenda.manage',
    decide: ({ state }, { itemId, toIndex }) =>
      onAgenda(state, itemId, () => accept([proposeEvent('agenda.item_moved', { itemId, toIndex: Math.min(toIndex, state.agenda.items.length - 1) })])),
  },
  'agenda.set_current': {
    action: 'agenda.manage',
    decide: ({ state }, { itemId }) => onAgenda(state, itemId, () => accept([proposeEvent('agenda.current_set', { itemId })])),
  },
  // "Next item" names no item: it means the one after the current one when the chair's click arrives,
  // however the agenda was reordered meanwhile.
  'agenda.next': {
    action: 'agenda.manage',
    decide: ({ state }) =>
      onAgenda(state, null, () => {
        const items = state.agenda.items;
        const next = items[items.findIndex((item) => item.itemId === state.agenda.currentItemId) + 1];
        return next ? accept([proposeEvent('agenda.current_set', { itemId: next.itemId })]) : refuse('no_next_item');
      }),
  },
};
