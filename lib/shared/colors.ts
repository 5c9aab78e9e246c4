/**
 * Delegation colours for cursors and authorship: distinct hues dark enough for white text and for
 * 3:1 contrast against the page (WCAG 2.2 non-text contrast).
 */
export const DELEGATION_PALETTE = [
  '#1d4e89', '#b4531f', '#1f6f43', '#8a2b6d', '#5b4bb7', '#a61b29', '#00667a', '#7a5c00',
  '#3d6b1f', '#9c3d00', '#2f5d8a', '#6b3fa0', '#00796b', '#8d2f4f', '#4e5d1a', '#b03a2e',
] as const;

/** A stable colour for a delegation (or a person without one), from its id. */
export function delegationColor(id: string): string {
  let hash = 0;
  for (let index = 0; index < id.length; index += 1) hash = (hash * 31 + id.charCodeAt(index)) >>> 0;
  return DELEGATION_PALETTE[hash % DELEGATION_PALETTE.length] ?? DELEGATION_PALETTE[0];
}
