/**
 * The speaking timer, computed from the server's stored times only. Browsers call these with
 * `Date.now()` corrected by their offset to the server clock, so every screen shows the same time.
 */
import type { TSpeech } from './state';

export type TTimerPhase = 'ready' | 'running' | 'paused';
export type TTimerLevel = 'normal' | 'warning' | 'overrun';

export interface TTimerReading {
  elapsedMs: number;
  /** Negative once the limit has passed. */
  remainingMs: number;
  phase: TTimerPhase;
  /** S13: warning within `warningSeconds` of the limit, overrun past it. */
  level: TTimerLevel;
}

/** Time spoken so far at server time `now`. */
export function speechElapsedMs(speech: TSpeech, now: number): number {
  return speech.elapsedMs + (speech.runningSince === null ? 0 : Math.max(0, now - speech.runningSince));
}

/** The timer of a speech at server time `now`. */
export function readTimer(speech: TSpeech, now: number): TTimerReading {
  const elapsedMs = speechElapsedMs(speech, now);
  const remainingMs = speech.limitSeconds * 1000 - elapsedMs;
  const phase: TTimerPhase = speech.runningSince !== null ? 'running' : speech.startedAt === null ? 'ready' : 'paused';
  const level: TTimerLevel = remainingMs < 0 ? 'overrun' : remainingMs <= speech.warningSeconds * 1000 ? 'warning' : 'normal';
  return { elapsedMs, remainingMs, phase, level };
}
