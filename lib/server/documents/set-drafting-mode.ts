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

const ZSetDraftingMode = z.strictObject({ documentId: ZId, mode: z.enum(DRAFTING_MODES) });

/**
 * Chair or secretariat sets how a document may change: open drafting, amendments only (text
 * frozen), adopted (final). Logged, and applied at once to everyone who has it open (D10).
 * An adopted document stays adopted.
 */
export async function setDraftingMode(db: Database, user: TUser, input: unknown): Promise<TDraftingMode> {
  const fields = parseInput(ZSetDraftingMode, input);
  const changed = await db.transaction(async (tx) => {
    const document = await findLiveDocument(tx, fields.documentId);
    if (!document) throw new AppError('not_found');
    const access = await authorizeInNegotiation(tx, user, document.negotiationId, 'document.setMode');
    if (document.draftingMode === fields.mode) return false;
    if (document.draftingMode === 'adopted') throw new AppError('invalid_transition');
    await updateDraftingMode(tx, document.id, fields.mode);
    await recordInOpenSessions(
      tx,
      document.negotiationId,
      { user, membership: access.membership },
      'document.mode_changed',
      { documentId: document.id, from: document.draftingMode, to: fields.mode },
      Date.now(),
    );
    return true;
  });
  if (changed) liveHub().documentModeChanged(fields.documentId);
  return fields.mode;
}
