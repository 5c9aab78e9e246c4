import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

/** The hash that precedes a session's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers. */
export interface THashedEventFields {
  sessionId: string;
  seq: number;
  at: number;
  userId: string | null;
  delegationId: string | null;
  role: string | null;
  type: string;
  payload: unknown;
}

/** hash = sha256(prev_hash ‖ canonical(event)), hex-encoded. */
export function hashEvent(prevHash: string, event: THashedEventFields): string {
  const { sessionId, seq, at, userId, delegationId, role, type, payload } = event;
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ sessionId, seq, at, userId, delegationId, role, type, payload }))
    .digest('hex');
}

export type TChainCheck = { ok: true; count: number; head: string } | { ok: false; badSeq: number; count: number };

/** Walks stored events in order and finds the first whose seq, link or hash does not hold. */
export function verifyChain(
  events: Iterable<THashedEventFields & { prevHash: string; hash: string }>,
): TChainCheck {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const event of events) {
    if (
      event.seq !== expectedSeq ||
      event.prevHash !== expectedPrev ||
      hashEvent(event.prevHash, event) !== event.hash
    ) {
      return { ok: false, badSeq: expectedSeq, count };
    }
    expectedPrev = event.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, count, head: expectedPrev };
}
