/**
 * Speaking-time budgets per group of delegations (S12): the time a group's delegations have spoken,
 * finished speeches plus the one running, against the group's allowance.
 */
import type { TSpeakingBudget } from './settings';
import type { TSessionRoomState } from './state';
import { speechElapsedMs } from './timer';

/** The budget group a delegation belongs to, if any. */
export function budgetOf(state: TSessionRoomState, delegationId: string | null): TSpeakingBudget | undefined {
  if (delegationId === null) return undefined;
  return state.floor.settings.budgets.find((budget) => budget.delegationIds.includes(delegationId));
}

/** What is left of a group's budget at server time `now` (negative when overspent). */
export function budgetRemainingMs(state: TSessionRoomState, budget: TSpeakingBudget, now: number): number {
  const members = new Set(budget.delegationIds);
  const finished = state.floor.spoken.filter((entry) => members.has(entry.delegationId)).reduce((sum, entry) => sum + entry.ms, 0);
  const speech = state.floor.speech;
  const running = speech?.delegationId && members.has(speech.delegationId) ? speechElapsedMs(speech, now) : 0;
  return budget.seconds * 1000 - finished - running;
}
