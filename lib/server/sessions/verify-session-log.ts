/**
 * Proves a session's record was not altered (docs/PROTOCOL.md R5): every stored event continues
 * the hash chain from the genesis hash, the chain ends at the head the session row recorded (so
 * nothing was cut off the end), every document update the log names still has the bytes whose hash
 * the log holds, and every chat text still kept beside the log has the hash its event holds (a text
 * the chair deleted is gone on purpose; its hash stays). Reads the log a page at a time.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db';
import { findSessionById, listSessionEvents, type TSessionEvent } from '../../db/repositories/sessions';
import type { TSessionEventPayload } from '../../session/events';
import { ChainVerifier } from '../../session/event-hash';
import { AppError } from '../../shared/errors';

export type TLogVerification =
  | { ok: true; sessionId: string; count: number; head: string }
  | {
      ok: false;
      sessionId: string;
      /** The first seq at which the record does not hold (one past the last event when events were cut off the end). */
      badSeq: number;
      reason: 'chain' | 'truncated' | 'document_update' | 'chat_text';
    };

const PAGE = 10_000;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The first event of a page whose document update's stored bytes no longer match the hash in the log. */
async function firstAlteredUpdate(q: Queryable, events: readonly TSessionEvent[]): Promise<number | null> {
  const named = events.filter((event) => event.type === 'document.updated');
  const byDocument = new Map<string, { seq: number; documentSeq: number; updateHash: string }[]>();
  for (const event of named) {
    const { documentId, documentSeq, updateHash } = event.payload as TSessionEventPayload<'document.updated'>;
    byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), { seq: event.seq, documentSeq, updateHash }]);
  }
  let first: number | null = null;
  for (const [documentId, marks] of byDocument) {
    const seqs = marks.map((mark) => mark.documentSeq);
    const rows = await q.all<{ seq: number; bytes: Uint8Array }>(
      'SELECT seq, update_bytes AS bytes FROM document_updates WHERE document_id = ? AND seq >= ? AND seq <= ?',
      [documentId, Math.min(...seqs), Math.max(...seqs)],
    );
    const stored = new Map(rows.map((row) => [Number(row.seq), row.bytes]));
    for (const mark of marks) {
      const bytes = stored.get(mark.documentSeq);
      if ((!bytes || sha256(bytes) !== mark.updateHash) && (first === null || mark.seq < first)) first = mark.seq;
    }
  }
  return first;
}

function firstAlteredChatText(events: readonly TSessionEvent[]): number | null {
  const altered = events.find((event) => event.type === 'chat.message_posted' && event.content !== undefined && sha256(event.content) !== (event.payload as TSessionEventPayload<'chat.message_posted'>).textHash);
  return altered?.seq ?? null;
}

/**
 * R5. With `from` (a point an earlier check verified: `count` events ending at `head`), only the
 * events after it are walked (R6 extends a recent page check this way).
 */
export async function verifySessionLog(q: Queryable, sessionId: string, from?: { count: number; head: string }): Promise<TLogVerification> {
  const session = await findSessionById(q, sessionId);
  if (!session) throw new AppError('not_found');
  const chain = new ChainVerifier(from);
  for (let after = from?.count ?? 0; ; ) {
    const page = await listSessionEvents(q, sessionId, after, after + PAGE);
    if (page.length === 0) break;
    const brokenAt = page.find((event) => !chain.accept(event))?.seq;
    const intact = brokenAt === undefined ? page : page.filter((event) => event.seq < brokenAt);
    const update = await firstAlteredUpdate(q, intact);
    const chat = firstAlteredChatText(intact);
    if (update !== null || chat !== null) {
      const badSeq = Math.min(update ?? Infinity, chat ?? Infinity);
      return { ok: false, sessionId, badSeq, reason: badSeq === update ? 'document_update' : 'chat_text' };
    }
    const result = chain.result();
    if (!result.ok) return { ok: false, sessionId, badSeq: result.badSeq, reason: 'chain' };
    after += PAGE;
  }
  const result = chain.result();
  if (!result.ok) return { ok: false, sessionId, badSeq: result.badSeq, reason: 'chain' };
  if (result.count !== Number(session.headSeq) || result.head !== session.headHash) {
    return { ok: false, sessionId, badSeq: result.count + 1, reason: result.count < Number(session.headSeq) ? 'truncated' : 'chain' };
  }
  return { ok: true, sessionId, count: result.count, head: result.head };
}

/** How long a whole walk of the record stands for the pages (R6); `npm run verify-log` always checks afresh. */
const PAGE_CHECK_TTL_MS = 60_000;
/** Per session: the latest result, the head it reached, and when the record was last walked from its start. */
const pageChecks = new Map<string, { headSeq: number; headHash: string; walkedAt: number; result: TLogVerification }>();

/**
 * R6: the check for the session and replay pages. Every participant's page asks, again as the room's
 * record grows (S87), and a long record takes seconds to walk. Within a minute of a whole walk, the
 * same head gets the same result, and a head that moved on from a verified one is checked from there
 * (only the new events); a failed check, an unknown head or the minute passing walks it all again.
 */
export async function verifySessionLogForPage(q: Queryable, session: { id: string; headSeq: number; headHash: string }, now = Date.now()): Promise<TLogVerification> {
  const headSeq = Number(session.headSeq);
  const cached = pageChecks.get(session.id);
  const recent = cached && now - cached.walkedAt < PAGE_CHECK_TTL_MS ? cached : undefined;
  if (recent && recent.headSeq === headSeq && recent.headHash === session.headHash) return recent.result;
  const extend = recent?.result.ok && recent.headSeq < headSeq ? { count: recent.result.count, head: recent.result.head } : undefined;
  const result = await verifySessionLog(q, session.id, extend);
  pageChecks.set(session.id, { headSeq, headHash: session.headHash, walkedAt: extend && recent ? recent.walkedAt : now, result });
  return result;
}
