/**
 * Positions and the consensus map (docs/PROTOCOL.md S62–S70), and the delegation workspace
 * (S71–S75). A member delegation states where it stands on a paragraph or an amendment; the map
 * says, per paragraph, whether there is consensus, reservations or an objection, and who objects.
 * Stances are not secret (the chair may still keep the map to the chair and secretariat); notes are
 * the delegation's own.
 */
import { z } from 'zod';
import type { TRosterEntry } from './state';

export const STANCES = ['support', 'can_accept', 'reserve', 'object'] as const;
export const ZStance = z.enum(STANCES);
export type TStance = z.infer<typeof ZStance>;

/** Who sees the consensus map: everyone in the room, or only the chair and secretariat. */
export const POSITION_MAP_VISIBILITIES = ['everyone', 'managers'] as const;
export const ZPositionMapVisibility = z.enum(POSITION_MAP_VISIBILITIES);
export type TPositionMapVisibility = z.infer<typeof ZPositionMapVisibility>;

export type TPositionTarget = { kind: 'paragraph'; pid: string } | { kind: 'amendment'; amendmentId: string };

/** A target as the log stores it (any string id; the command input checks ids more strictly). */
export const ZPositionTarget: z.ZodType<TPositionTarget> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('paragraph'), pid: z.string() }),
  z.strictObject({ kind: z.literal('amendment'), amendmentId: z.string() }),
]);

/** A delegation's stance on one target of one document. */
export interface TStanceEntry {
  delegationId: string;
  documentId: string;
  target: TPositionTarget;
  stance: TStance;
}

/** A delegation's private note on one target (its position note, or its workspace note on a paragraph). */
export interface TNoteEntry {
  delegationId: string;
  documentId: string;
  target: TPositionTarget;
  text: string;
}

/** One string per (document, target), to compare and index entries. */
export function targetKey(documentId: string, target: TPositionTarget): string {
  return `${documentId}/${target.kind === 'paragraph' ? `p:${target.pid}` : `a:${target.amendmentId}`}`;
}

/** Whether an entry is the delegation's, on this target. */
export function isEntryOf(entry: { delegationId: string; documentId: string; target: TPositionTarget }, delegationId: string, documentId: string, target: TPositionTarget): boolean {
  return entry.delegationId === delegationId && targetKey(entry.documentId, entry.target) === targetKey(documentId, target);
}

/**
 * Puts `entry` in place of the delegation's entry on the same target (or appends it); `null`
 * removes that entry. Entries keep their place, so every fold of the same log has the same order.
 */
export function upsertEntry<Entry extends { delegationId: string; documentId: string; target: TPositionTarget }>(
  entries: readonly Entry[],
  key: Pick<Entry, 'delegationId' | 'documentId' | 'target'>,
  entry: Entry | null,
): Entry[] {
  const index = entries.findIndex((candidate) => isEntryOf(candidate, key.delegationId, key.documentId, key.target));
  if (index < 0) return entry ? [...entries, entry] : [...entries];
  const next = [...entries];
  if (entry) next[index] = entry;
  else next.splice(index, 1);
  return next;
}

/** Entries of one delegation in a stable order, to tell whether two sets are the same. */
export function sortedEntries<Entry extends { delegationId: string; documentId: string; target: TPositionTarget }>(entries: readonly Entry[], delegationId: string): Entry[] {
  return entries
    .filter((entry) => entry.delegationId === delegationId)
    .sort((a, b) => (targetKey(a.documentId, a.target) < targetKey(b.documentId, b.target) ? -1 : 1));
}

export type TConsensusLevel = 'objection' | 'reservation' | 'consensus' | 'open' | 'none';

export interface TConsensus {
  level: TConsensusLevel;
  counts: Record<TStance, number>;
  /** Member delegations that have not stated a stance. */
  silent: number;
  objecting: string[];
  reserving: string[];
}

/**
 * S66: where the member delegations stand on one target. An objection by any member delegation
 * breaks consensus; otherwise a reservation is shown as such; consensus needs every member
 * delegation to support or accept; until then the question is open (or, with no stance at all,
 * has none). Observer delegations do not state positions.
 */
export function consensusOn(stances: readonly TStanceEntry[], roster: readonly TRosterEntry[], documentId: string, target: TPositionTarget): TConsensus {
  const members = roster.filter((entry) => entry.status === 'member').map((entry) => entry.delegationId);
  const key = targetKey(documentId, target);
  const counts: Record<TStance, number> = { support: 0, can_accept: 0, reserve: 0, object: 0 };
  const objecting: string[] = [];
  const reserving: string[] = [];
  let stated = 0;
  for (const delegationId of members) {
    const entry = stances.find((candidate) => candidate.delegationId === delegationId && targetKey(candidate.documentId, candidate.target) === key);
    if (!entry) continue;
    stated += 1;
    counts[entry.stance] += 1;
    if (entry.stance === 'object') objecting.push(delegationId);
    if (entry.stance === 'reserve') reserving.push(delegationId);
  }
  const level: TConsensusLevel =
    objecting.length > 0 ? 'objection' : reserving.length > 0 ? 'reservation' : stated === 0 ? 'none' : stated === members.length ? 'consensus' : 'open';
  return { level, counts, silent: members.length - stated, objecting, reserving };
}
