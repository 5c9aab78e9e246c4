/**
 * The speakers' list rules that both the reducer and the command checks use: where a request goes,
 * how the chair moves it, and who counts as the same entry. Pure functions over plain arrays.
 */
import type { TFloorKind, TRole } from '../../shared/domain';
import type { TFloorRequest, TSessionRoomState } from './state';

/** S80: the roles that may speak in a delegation's name (advisers support it; they take no floor). */
export const SPEAKING_ROLES: readonly TRole[] = ['head', 'delegate', 'observer'];

/** Points of order form the first class of the list; every other kind waits in the second. */
export function isFirstClass(kind: TFloorKind): boolean {
  return kind === 'point_of_order';
}

/** The requests of the same class as `kind`, in order, with their indexes in the whole list. */
function classBounds(queue: readonly TFloorRequest[], kind: TFloorKind): { start: number; end: number } {
  const firstClassCount = queue.filter((request) => isFirstClass(request.kind)).length;
  return isFirstClass(kind) ? { start: 0, end: firstClassCount } : { start: firstClassCount, end: queue.length };
}

/** S5: a point of order goes after the points of order already waiting (ranked by request time), anything else last. */
export function insertRequest(queue: readonly TFloorRequest[], request: TFloorRequest): TFloorRequest[] {
  const { end } = classBounds(queue, request.kind);
  return [...queue.slice(0, end), request, ...queue.slice(end)];
}

/** S7: moves a request to `toIndex` within its class (clamped), leaving the other class untouched. */
export function moveRequest(queue: readonly TFloorRequest[], requestId: string, toIndex: number): TFloorRequest[] {
  const request = queue.find((entry) => entry.requestId === requestId);
  if (!request) return [...queue];
  const rest = queue.filter((entry) => entry.requestId !== requestId);
  const { start, end } = classBounds(rest, request.kind);
  const at = start + Math.max(0, Math.min(toIndex, end - start));
  return [...rest.slice(0, at), request, ...rest.slice(at)];
}

/** A request's index within its class, or -1. */
export function indexInClass(queue: readonly TFloorRequest[], requestId: string): number {
  const request = queue.find((entry) => entry.requestId === requestId);
  if (!request) return -1;
  return queue.indexOf(request) - classBounds(queue, request.kind).start;
}

/** How many requests share the class of `kind`. */
export function classSize(queue: readonly TFloorRequest[], kind: TFloorKind): number {
  const { start, end } = classBounds(queue, kind);
  return end - start;
}

/** Who a request stands for: the delegation, or the person when they have none. */
export function entrantOf(request: Pick<TFloorRequest, 'userId' | 'delegationId'>): string {
  return request.delegationId ?? `user:${request.userId}`;
}

/** S6: the waiting requests an entrant holds, split into points of order and the rest. */
export function waitingEntries(state: TSessionRoomState, entrant: string): { pointsOfOrder: number; others: number } {
  const mine = state.floor.queue.filter((request) => entrantOf(request) === entrant);
  const pointsOfOrder = mine.filter((request) => isFirstClass(request.kind)).length;
  return { pointsOfOrder, others: mine.length - pointsOfOrder };
}
