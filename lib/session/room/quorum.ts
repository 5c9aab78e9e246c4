/**
 * Attendance and quorum, derived from the room state: a member delegation is present when one of
 * its heads or delegates (the people who can act for it) has the room open.
 */
import type { TQuorumRule, TRole } from '../../shared/domain';
import type { TSessionRoomState } from './state';

/** Roles whose presence makes their delegation present (S16). */
const REPRESENTING_ROLES: readonly TRole[] = ['head', 'delegate'];

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
  return new Set(
    state.attendance.present
      .filter((person) => person.delegationId !== null && REPRESENTING_ROLES.includes(person.role))
      .map((person) => person.delegationId as string),
  );
}

/** S17: member delegations present against the negotiation's rule. */
export function quorumOf(state: TSessionRoomState): TQuorum {
  const memberIds = state.attendance.roster.filter((entry) => entry.status === 'member').map((entry) => entry.delegationId);
  const present = delegationsPresent(state);
  const presentMembers = memberIds.filter((id) => present.has(id)).length;
  const required = requiredForQuorum(state.attendance.quorumRule, memberIds.length);
  return { rule: state.attendance.quorumRule, members: memberIds.length, present: presentMembers, required, met: presentMembers >= required };
}
