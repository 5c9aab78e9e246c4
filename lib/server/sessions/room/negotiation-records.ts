/**
 * S68: what a delegation says per paragraph belongs to the negotiation, not to one session. The
 * stances, position notes and workspace notes are stored per negotiation; a room brings what was
 * said elsewhere (in an earlier session, or in another room open meanwhile) into its own log as
 * `…synced` events, so its state — and its replay — is the negotiation's, and the record of every
 * session shows when it learned of each change.
 */
import type { Queryable } from '../../../db';
import { findPositionMapVisibility, listPositions, listWorkspaceNotes } from '../../../db/repositories/positions';
import { sortedEntries, type TNoteEntry, type TStanceEntry } from '../../../session/room/positions';
import type { TSessionRoomState } from '../../../session/room/state';
import { canonicalJson } from '../../../shared/canonical-json';
import type { TSessionEventType } from '../../../session/events';
import { proposeEvent, type TProposedEvent } from '../record-event';

/** Event types that change the negotiation's records: the other open rooms of the negotiation catch up after them. */
export const NEGOTIATION_RECORD_EVENTS: ReadonlySet<string> = new Set<TSessionEventType>(['position.recorded', 'position.note_set', 'positions.visibility_changed', 'workspace.note_set']);

/** One delegation's entries without the delegation id, in a stable order, for the log and for comparing. */
function itemsOf<Entry extends TStanceEntry | TNoteEntry>(entries: readonly Entry[], delegationId: string): Omit<Entry, 'delegationId'>[] {
  return sortedEntries(entries, delegationId).map(({ delegationId: _delegation, ...item }) => item);
}

/** The delegations whose entries differ between the room and storage, with storage's entries. */
function differing<Entry extends TStanceEntry | TNoteEntry>(inRoom: readonly Entry[], stored: readonly Entry[]): { delegationId: string; items: Omit<Entry, 'delegationId'>[] }[] {
  const delegations = [...new Set([...inRoom, ...stored].map((entry) => entry.delegationId))].sort();
  return delegations
    .map((delegationId) => ({ delegationId, items: itemsOf(stored, delegationId), current: itemsOf(inRoom, delegationId) }))
    .filter(({ items, current }) => canonicalJson(items) !== canonicalJson(current))
    .map(({ delegationId, items }) => ({ delegationId, items }));
}

/** The events that bring the room up to the negotiation's stored records; none when it is current. */
export async function negotiationRecordEvents(tx: Queryable, negotiationId: string, state: TSessionRoomState): Promise<TProposedEvent[]> {
  const [visibility, positions, workspaceNotes] = await Promise.all([
    findPositionMapVisibility(tx, negotiationId),
    listPositions(tx, negotiationId),
    listWorkspaceNotes(tx, negotiationId),
  ]);
  const events: TProposedEvent[] = [];
  if (visibility !== state.positions.visibility) events.push(proposeEvent('positions.visibility_changed', { from: state.positions.visibility, to: visibility }));
  for (const { delegationId, items } of differing(state.positions.stances, positions.stances)) {
    events.push(proposeEvent('positions.synced', { delegationId, visibility, stances: items }));
  }
  for (const { delegationId, items } of differing(state.positions.notes, positions.notes)) {
    events.push(proposeEvent('position_notes.synced', { delegationId, notes: items }));
  }
  for (const { delegationId, items } of differing(state.workspace.notes, workspaceNotes)) {
    const sharedWith = state.workspace.shares.find((share) => share.delegationId === delegationId)?.partnerDelegationId ?? null;
    events.push(proposeEvent('workspace.notes_synced', { delegationId, notes: items, sharedWith }));
  }
  return events;
}
