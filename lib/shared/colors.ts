/**
 * Delegation colours for cursors and authorship: distinct hues dark enough for white text and for
 * 3:1 contrast against the page (WCAG 2.2 non-text contrast).
 */
export const DELEGATION_PALETTE = [
  '#1d4e89', '#b4531f', '#1f6f43', '#8a2b6d', '#5b4bb7', '#a61b29', '#00667a', '#7a5c00',
  '#3d6b1f', '#9c3d00', '#2f5d8a', '#6b3fa0', '#00796b', '#8d2f4f', '#4e5d1a', '#b03a2e',
] as const;

/**
 * The colour of a delegation: by its place in the negotiation's accreditation order, so the first
 * sixteen delegations of a negotiation never share a colour. People without a delegation
 * (secretariat, chair) are drawn in the neutral ink colour.
 */
export function delegationColor(position: number | null): string {
  if (position === null || position < 0) return NEUTRAL_COLOR;
  return DELEGATION_PALETTE[position % DELEGATION_PALETTE.length] ?? NEUTRAL_COLOR;
}

export const NEUTRAL_COLOR = '#4a5568';
