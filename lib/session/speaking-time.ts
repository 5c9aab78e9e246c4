/**
 * Speaking time as the record states it (M8): one rounding rule and one format, shared by the
 * minutes, the summary's charts and the replay, so that no two of them can disagree on a figure.
 * The room's and the replay's timers write their countdowns with the same format.
 *
 * A speech counts the whole seconds its timer ran, rounded to the nearest second once, when the log
 * is folded (`spokenSeconds`); every total is a sum of those seconds, never a rounding of summed
 * milliseconds — so a delegation's total is exactly the sum of the speeches the minutes list.
 */

/** A speech's time in whole seconds from the milliseconds its timer ran (half a second rounds up). */
export function spokenSeconds(ms: number): number {
  return Math.round(Math.max(0, ms) / 1000);
}

/** A duration of whole seconds as `m:ss` (or `h:mm:ss` past an hour). */
export function clockDuration(seconds: number): string {
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

export interface TSpeakingTotal<Key> {
  key: Key;
  seconds: number;
  speeches: number;
}

/** Speaking time summed by `keyOf` (a delegation, a stakeholder group), longest first. */
export function speakingTotals<Speech extends { seconds: number }, Key>(speeches: readonly Speech[], keyOf: (speech: Speech) => Key): TSpeakingTotal<Key>[] {
  const totals = new Map<Key, TSpeakingTotal<Key>>();
  for (const speech of speeches) {
    const key = keyOf(speech);
    const entry = totals.get(key) ?? { key, seconds: 0, speeches: 0 };
    totals.set(key, { key, seconds: entry.seconds + speech.seconds, speeches: entry.speeches + 1 });
  }
  return [...totals.values()].sort((a, b) => b.seconds - a.seconds);
}
