/**
 * A session's analytics (issue 6), from the same fold as its minutes: speaking time by delegation
 * and by stakeholder type (the delegation's actor kind: city, region, national government…; the
 * chair and secretariat, who speak for no delegation, form their own group), floor requests by
 * fate, amendments per delegation by fate, and the share of paragraphs agreed over the session's
 * time. Pure: the server passes the log and the facts; the page only draws what comes out.
 */
import type { TActorKind } from '../shared/domain';
import type { TAmendmentFate, TMinutes, TMinutesFacts } from './minutes';
import type { TRoomEvent } from './room/state';
import { speakingTotals } from './speaking-time';

/** What became of a floor request by the end of the log. */
export const FLOOR_REQUEST_FATES = ['granted', 'waiting', 'withdrawn', 'removed'] as const;
export type TFloorRequestFate = (typeof FLOOR_REQUEST_FATES)[number];
export const AMENDMENT_FATES = ['accepted', 'rejected', 'withdrawn', 'pending'] as const satisfies readonly TAmendmentFate[];

/** `none`: speech or request of nobody's delegation (the chair, the secretariat). */
export type TStakeholderGroup = TActorKind | 'none';

export interface TSessionAnalytics {
  /** M8: whole seconds, summed from the minutes' speeches (the minutes' totals are the same figures). */
  speakingByDelegation: { delegationId: string | null; seconds: number; speeches: number }[];
  speakingByStakeholder: { group: TStakeholderGroup; seconds: number }[];
  floorRequests: { totals: Record<TFloorRequestFate, number>; byDelegation: ({ delegationId: string | null } & Record<TFloorRequestFate, number>)[] };
  /** Requests the chair passed over at least once (a skip is a move, not an end). */
  skippedRequests: number;
  amendmentsByDelegation: ({ delegationId: string } & Record<TAmendmentFate, number>)[];
  /**
   * The share of paragraphs agreed (and agreed ad referendum) after each status change, over the
   * documents whose paragraphs changed status in the session. Shares are 0–1.
   */
  agreedOverTime: { at: number; agreed: number; agreedAdRef: number }[];
  paragraphCount: number;
}

const zeroFates = <Fate extends string>(fates: readonly Fate[]) => Object.fromEntries(fates.map((fate) => [fate, 0])) as Record<Fate, number>;

function floorRequestFates(events: readonly TRoomEvent[]) {
  const requests = new Map<string, { delegationId: string | null; fate: TFloorRequestFate }>();
  const skipped = new Set<string>();
  for (const event of events) {
    const payload = event.payload as { requestId?: string | null; delegationId?: string | null };
    const request = payload.requestId ? requests.get(payload.requestId) : undefined;
    if (event.type === 'floor.requested' && payload.requestId) requests.set(payload.requestId, { delegationId: payload.delegationId ?? null, fate: 'waiting' });
    else if (request && event.type === 'floor.granted') request.fate = 'granted';
    else if (request && event.type === 'floor.request_withdrawn') request.fate = 'withdrawn';
    else if (request && event.type === 'floor.request_removed') request.fate = 'removed';
    else if (request && event.type === 'floor.request_skipped' && payload.requestId) skipped.add(payload.requestId);
  }
  const totals = zeroFates(FLOOR_REQUEST_FATES);
  const byDelegation = new Map<string | null, Record<TFloorRequestFate, number>>();
  for (const { delegationId, fate } of requests.values()) {
    totals[fate] += 1;
    const counts = byDelegation.get(delegationId) ?? zeroFates(FLOOR_REQUEST_FATES);
    counts[fate] += 1;
    byDelegation.set(delegationId, counts);
  }
  return { totals, byDelegation: [...byDelegation].map(([delegationId, counts]) => ({ delegationId, ...counts })), skipped: skipped.size };
}

type TParagraphStatus = TMinutesFacts['paragraphs'][number]['status'];

function agreedOverTime(events: readonly TRoomEvent[], facts: TMinutesFacts, start: number | null) {
  const changes = events.filter((event) => event.type === 'paragraph.status_changed') as (TRoomEvent & { payload: { documentId: string; pid: string; from: TParagraphStatus; to: TParagraphStatus } })[];
  const documents = new Set(changes.map((event) => event.payload.documentId));
  const statuses = new Map<string, TParagraphStatus>();
  const key = (documentId: string, pid: string) => `${documentId}|${pid}`;
  for (const paragraph of facts.paragraphs) if (documents.has(paragraph.documentId)) statuses.set(key(paragraph.documentId, paragraph.pid), paragraph.status);
  // A paragraph's status when the session began is the `from` of its first change in the log; the
  // others did not change in it, so their status now is the one they had then.
  for (const event of [...changes].reverse()) statuses.set(key(event.payload.documentId, event.payload.pid), event.payload.from);
  const total = statuses.size;
  const share = () => {
    const values = [...statuses.values()];
    return total === 0 ? { agreed: 0, agreedAdRef: 0 } : { agreed: values.filter((status) => status === 'agreed').length / total, agreedAdRef: values.filter((status) => status === 'agreed_ad_ref').length / total };
  };
  const series: TSessionAnalytics['agreedOverTime'] = [];
  if (changes.length === 0) return { series, total };
  series.push({ at: Math.min(start ?? changes[0]?.at ?? 0, changes[0]?.at ?? 0), ...share() });
  for (const event of changes) {
    statuses.set(key(event.payload.documentId, event.payload.pid), event.payload.to);
    series.push({ at: event.at, ...share() });
  }
  return { series, total };
}

/** The analytics of a session from its log, its minutes' fold and the facts. */
export function sessionAnalytics(events: readonly TRoomEvent[], minutes: TMinutes, facts: TMinutesFacts): TSessionAnalytics {
  const kinds = new Map(facts.delegations.map((delegation) => [delegation.id, delegation.kind]));
  const groupOf = (delegationId: string | null): TStakeholderGroup => (delegationId === null ? undefined : kinds.get(delegationId)) ?? 'none';
  const amendments = new Map<string, Record<TAmendmentFate, number>>();
  const proposers = new Map(facts.amendments.map((amendment) => [amendment.id, amendment.delegationId]));
  for (const amendment of minutes.amendments) {
    const delegationId = proposers.get(amendment.amendmentId);
    if (!delegationId) continue;
    const counts = amendments.get(delegationId) ?? zeroFates(AMENDMENT_FATES);
    counts[amendment.fate] += 1;
    amendments.set(delegationId, counts);
  }
  const requests = floorRequestFates(events);
  const agreed = agreedOverTime(events, facts, minutes.openedAt);
  return {
    speakingByDelegation: speakingTotals(minutes.speeches, (speech) => speech.delegationId).map(({ key, seconds, speeches }) => ({ delegationId: key, seconds, speeches })),
    speakingByStakeholder: speakingTotals(minutes.speeches, (speech) => groupOf(speech.delegationId)).map(({ key, seconds }) => ({ group: key, seconds })),
    floorRequests: { totals: requests.totals, byDelegation: requests.byDelegation },
    skippedRequests: requests.skipped,
    amendmentsByDelegation: [...amendments].map(([delegationId, counts]) => ({ delegationId, ...counts })),
    agreedOverTime: agreed.series,
    paragraphCount: agreed.total,
  };
}
