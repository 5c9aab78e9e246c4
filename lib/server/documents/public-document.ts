import type { Queryable } from '../../db';
import { findAdoption, listSignatures, type TSignature } from '../../db/repositories/adoption';
import { findLiveDocument } from '../../db/repositories/documents';
import { findNegotiationById } from '../../db/repositories/negotiations';
import { documentBlocks, type TBlock } from '../../documents/blocks';
import type { TDocumentKind } from '../../shared/domain';
import { ZId } from '../../shared/schemas';
import { readStoredDocument } from './read-document';

export interface TPublicDocument {
  id: string;
  title: string;
  kind: TDocumentKind;
  negotiationTitle: string;
  host: string;
  adoptedAt: number;
  textHash: string;
  blocks: TBlock[];
  signatures: TSignature[];
}

/**
 * An adopted document as anyone may see it, signed in or not: the adopted text, its hash and the
 * signatories. Undefined for a malformed or unknown id and for any document not adopted, so the
 * public page cannot be used to learn that a draft exists. Nothing else of the negotiation is shown.
 */
export async function loadPublicDocument(q: Queryable, documentId: unknown): Promise<TPublicDocument | undefined> {
  const id = ZId.safeParse(documentId);
  if (!id.success) return undefined;
  const document = await findLiveDocument(q, id.data);
  if (!document || document.draftingMode !== 'adopted') return undefined;
  const [adoption, negotiation] = await Promise.all([findAdoption(q, document.id), findNegotiationById(q, document.negotiationId)]);
  if (!adoption?.adoptedAt || !adoption.adoptedTextHash || !negotiation) return undefined;
  const doc = await readStoredDocument(q, document.id);
  const blocks = documentBlocks(doc);
  doc.destroy();
  return {
    id: document.id,
    title: document.title,
    kind: document.kind as TDocumentKind,
    negotiationTitle: negotiation.title,
    host: negotiation.host,
    adoptedAt: adoption.adoptedAt,
    textHash: adoption.adoptedTextHash,
    blocks,
    signatures: await listSignatures(q, document.id),
  };
}
