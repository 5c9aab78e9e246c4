import type { Database } from '../../db';
import type { TLiveDocument } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { documentBlocks, type TBlock } from '../../documents/blocks';
import { paragraphLabels } from '../../documents/paragraph-labels';
import { documentAccessFor } from './document-access';
import { readStoredDocument } from './read-document';
import { seedOnce } from './seed-base-text';

/** A paragraph as the session room lists it for positions and notes: its id, its place and its text. */
export interface TParagraphSummary {
  pid: string;
  /** The paragraph's label (PP 1, OP 1, ¶ 1), as every view of the document names it. */
  label: string;
  text: string;
}

/**
 * The blocks of a document's stored text. Paragraphs are named by the pid the text gets when it is
 * first stored: a document nobody has opened yet is seeded now, once, exactly as the live server
 * would (T33).
 */
export async function storedTextBlocks(db: Database, document: Pick<TLiveDocument, 'id' | 'baseText' | 'updateHead'>): Promise<TBlock[]> {
  if (Number(document.updateHead) === 0) await seedOnce(db, document.id, document.baseText);
  const doc = await readStoredDocument(db, document.id);
  const blocks = documentBlocks(doc);
  doc.destroy();
  return blocks;
}

/** The paragraphs (not headings) of a document's stored text, for anyone who may read it. */
export async function documentParagraphs(db: Database, user: TUser, documentId: unknown): Promise<TParagraphSummary[]> {
  const { document } = await documentAccessFor(db, user, documentId);
  const blocks = await storedTextBlocks(db, document);
  const labels = paragraphLabels(blocks);
  return blocks.flatMap((block) => {
    const label = block.pid === null ? undefined : labels.get(block.pid);
    return block.pid === null || label === undefined ? [] : [{ pid: block.pid, label, text: block.runs.map((run) => run.text).join('') }];
  });
}
