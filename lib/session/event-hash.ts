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

type TStoredEventFields = THashedEventFields & { prevHash: string; hash: string };

/** Checks a log one stored event at a time, in order, so a long log never has to be in memory at once. */
export class ChainVerifier {
  private expectedPrev: string;
  private expectedSeq: number;
  private failedAt: number | null = null;

  /** From the genesis, or on from a point already verified (`count` events ending at `head`). */
  constructor(from: { count: number; head: string } = { count: 0, head: GENESIS_HASH }) {
    this.expectedPrev = from.head;
    this.expectedSeq = from.count + 1;
  }

  /** Whether this event continues the chain: its seq, its link to the previous hash and its own hash hold. */
  accept(event: TStoredEventFields): boolean {
    if (this.failedAt !== null) return false;
    if (event.seq !== this.expectedSeq || event.prevHash !== this.expectedPrev || hashEvent(event.prevHash, event) !== event.hash) {
      this.failedAt = this.expectedSeq;
      return false;
    }
    this.expectedPrev = event.hash;
    this.expectedSeq += 1;
    return true;
  }

  result(): TChainCheck {
    const count = this.expectedSeq - 1;
    return this.failedAt === null ? { ok: true, count, head: this.expectedPrev } : { ok: false, badSeq: this.failedAt, count };
  }
}

/** Walks stored events in order and finds the first whose seq, link or hash does not hold. */
export function verifyChain(events: Iterable<TStoredEventFields>): TChainCheck {
  const verifier = new ChainVerifier();
  for (const event of events) if (!verifier.accept(event)) break;
  return verifier.result();
}
