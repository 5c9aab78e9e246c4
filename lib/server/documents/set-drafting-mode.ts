import { z } from 'zod';
import type { Database, Queryable } from '../../db';
import { DRAFTING_MODES, findLiveDocument, updateDraftingMode, type TDraftingMode, type TLiveDocument } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { recordInOpenSessions, type TEventAuthor } from '../sessions/record-event';
import { adoptStoredText } from './adopt-text';

const ZSetDraftingMode = z.strictObject({ documentId: ZId, mode: z.enum(DRAFTING_MODES) });

/**
 * Sets a document's drafting mode inside the caller's transaction and logs it in the open sessions;
 * adopting records the moment and the hash of the stored text. Resolves false when there was
 * nothing to change (the mode already, or someone adopted it meanwhile); an adopted document stays
 * adopted (`invalid_transition`). The chair's request below and an adopted decision
 * (lib/server/sessions/decision-outcome.ts) both come through here.
 */
export async function writeDraftingMode(tx: Queryable, document: TLiveDocument, mode: TDraftingMode, author: TEventAuthor, at: number): Promise<boolean> {
  if (document.draftingMode === mode) return false;
  if (document.draftingMode === 'adopted') throw new AppError('invalid_transition');
  // Adoption fixes the text that heads of delegation sign: the stored text and its hash, at once.
  const adoptedHash = mode === 'adopted' ? await adoptStoredText(tx, document, at) : null;
  if (mode === 'adopted' && !adoptedHash) return false;
  if (!adoptedHash) await updateDraftingMode(tx, document.id, mode);
  await recordInOpenSessions(tx, document.negotiationId, author, 'document.mode_changed', { documentId: document.id, from: document.draftingMode, to: mode }, at);
  if (adoptedHash) {
    await recordInOpenSessions(tx, document.negotiationId, author, 'document.adopted', { documentId: document.id, textHash: adoptedHash }, at);
  }
  return true;
}

/**
 * Chair or secretariat sets how a document may change: open drafting, amendments only (text
 * frozen), adopted (final). Logged, and applied at once to everyone who has it open (D10).
 */
export async function setDraftingMode(db: Database, user: TUser, input: unknown): Promise<TDraftingMode> {
  const fields = parseInput(ZSetDraftingMode, input);
  const changed = await db.transaction(async (tx) => {
    const document = await findLiveDocument(tx, fields.documentId);
    if (!document) throw new AppError('not_found');
    const access = await authorizeInNegotiation(tx, user, document.negotiationId, 'document.setMode');
    return writeDraftingMode(tx, document, fields.mode, { user, membership: access.membership }, Date.now());
  });
  if (changed) liveHub().documentModeChanged(fields.documentId);
  return fields.mode;
}
