import { z } from 'zod';
import type { Database } from '../../db';
import { DRAFTING_MODES, findLiveDocument, updateDraftingMode, type TDraftingMode } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';
import { liveHub } from '../live-hub';
import { authorizeInNegotiation } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { recordInOpenSessions } from '../sessions/record-event';
import { adoptStoredText } from './adopt-text';

const ZSetDraftingMode = z.strictObject({ documentId: ZId, mode: z.enum(DRAFTING_MODES) });

/**
 * Chair or secretariat sets how a document may change: open drafting, amendments only (text
 * frozen), adopted (final). Logged, and applied at once to everyone who has it open (D10).
 * An adopted document stays adopted; adopting records the moment and the hash of the stored text.
 */
export async function setDraftingMode(db: Database, user: TUser, input: unknown): Promise<TDraftingMode> {
  const fields = parseInput(ZSetDraftingMode, input);
  const changed = await db.transaction(async (tx) => {
    const document = await findLiveDocument(tx, fields.documentId);
    if (!document) throw new AppError('not_found');
    const access = await authorizeInNegotiation(tx, user, document.negotiationId, 'document.setMode');
    if (document.draftingMode === fields.mode) return false;
    if (document.draftingMode === 'adopted') throw new AppError('invalid_transition');
    const at = Date.now();
    const author = { user, membership: access.membership };
    // Adoption fixes the text that heads of delegation sign: the stored text and its hash, at once.
    const adoptedHash = fields.mode === 'adopted' ? await adoptStoredText(tx, document, at) : null;
    if (fields.mode === 'adopted' && !adoptedHash) return false;
    if (!adoptedHash) await updateDraftingMode(tx, document.id, fields.mode);
    await recordInOpenSessions(
      tx,
      document.negotiationId,
      author,
      'document.mode_changed',
      { documentId: document.id, from: document.draftingMode, to: fields.mode },
      at,
    );
    if (adoptedHash) {
      await recordInOpenSessions(tx, document.negotiationId, author, 'document.adopted', { documentId: document.id, textHash: adoptedHash }, at);
    }
    return true;
  });
  if (changed) liveHub().documentModeChanged(fields.documentId);
  return fields.mode;
}
