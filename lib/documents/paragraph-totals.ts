/** The negotiation statuses of a paragraph, in the order the room shows them. */
export const PARAGRAPH_STATUS_ORDER = ['pending', 'bracketed', 'agreed_ad_ref', 'agreed'] as const;
export type TStatusName = (typeof PARAGRAPH_STATUS_ORDER)[number];

/** A recorded status, or pending when none (or an unknown one) is recorded. */
export function recordedStatus(status: string | undefined): TStatusName {
  return (PARAGRAPH_STATUS_ORDER as readonly string[]).includes(status ?? '') ? (status as TStatusName) : 'pending';
}

/**
 * What a paragraph counts as in totals: bracketed whenever its text holds an open bracket — the
 * text says it is disputed, whatever status was recorded — otherwise its recorded status.
 */
export function standingOf(status: string | undefined, openBrackets: number): TStatusName {
  return openBrackets > 0 ? 'bracketed' : recordedStatus(status);
}

/** How many paragraphs stand at each status (see standingOf). */
export function paragraphTotals(pids: readonly string[], statuses: Record<string, string>, openBracketPids: readonly string[]): Record<TStatusName, number> {
  const totals: Record<TStatusName, number> = { pending: 0, bracketed: 0, agreed_ad_ref: 0, agreed: 0 };
  for (const pid of pids) totals[standingOf(statuses[pid], openBracketPids.filter((open) => open === pid).length)] += 1;
  return totals;
}
