/**
 * Attendance and quorum, derived from the room state: a delegation is present when someone who can
 * act for it has the room open — a head or a delegate, or for an observer delegation also its
 * observers. Advisers support a delegation; they do not make it present.
 */
import type { TQuorumRule, TRole } from '../../shared/domain';
import type { TSessionRoomState } from './state';

/** Roles whose presence makes their delegation present (S16). */
const REPRESENTING_ROLES: readonly TRole[] = ['head', 'delegate'];
const REPRESENTING_OBSERVER_DELEGATIONS: readonly TRole[] = [...REPRESENTING_ROLES, 'observer'];

export interface TQuorum {
  rule: TQuorumRule;
  /** Member delegations in the roster. */
  members: number;
  /** Member delegations present. */
  present: number;
  /** How many must be present. */
  required: number;
  met: boolean;
}

/** How many of `members` member delegations a rule requires. */
export function requiredForQuorum(rule: TQuorumRule, members: number): number {
  switch (rule) {
    case 'none':
      return 0;
    case 'majority':
      return Math.floor(members / 2) + 1;
    case 'two_thirds':
      return Math.ceil((2 * members) / 3);
    case 'all':
      return members;
  }
}

/** The ids of the delegations present, member or observer (S16). */
export function delegationsPresent(state: TSessionRoomState): Set<string> {
  const observers = new Set(state.attendance.roster.filter((entry) => entry.status === 'observer').map((entry) => entry.delegationId));
  const present = new Set<string>();
  for (const { delegationId, role } of state.attendance.present) {
    if (delegationId === null) continue;
    if ((observers.has(delegationId) ? REPRESENTING_OBSERVER_DELEGATIONS : REPRESENTING_ROLES).includes(role)) present.add(delegationId);
  }
  return present;
}

/** S17: member delegations present against the negotiation's rule. */
export function quorumOf(state: TSessionRoomState): TQuorum {
  const memberIds = state.attendance.roster.filter((entry) => entry.status === 'member').map((entry) => entry.delegationId);
  const present = delegationsPresent(state);
  const presentMembers = memberIds.filter((id) => present.has(id)).length;
  const required = requiredForQuorum(state.attendance.quorumRule, memberIds.length);
  return { rule: state.attendance.quorumRule, members: memberIds.length, present: presentMembers, required, met: presentMembers >= required };
}
