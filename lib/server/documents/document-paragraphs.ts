import type { Database } from '../../db';
import type { TLiveDocument } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { documentBlocks, type TBlock } from '../../documents/blocks';
import { documentAccessFor } from './document-access';
import { readStoredDocument } from './read-document';
import { seedOnce } from './seed-base-text';

/** A paragraph as the session room lists it for positions and notes: its id, its place and its text. */
export interface TParagraphSummary {
  pid: string;
  kind: 'preambular' | 'operative' | null;
  /** The paragraph's number among those of its kind (operative paragraphs are numbered in the text). */
  number: number;
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
  const counted = { preambular: 0, operative: 0, other: 0 };
  const paragraphs: TParagraphSummary[] = [];
  for (const block of blocks) {
    if (block.type === 'heading' || block.pid === null) continue;
    const number = (counted[block.kind ?? 'other'] += 1);
    paragraphs.push({ pid: block.pid, kind: block.kind, number, text: block.runs.map((run) => run.text).join('') });
  }
  return paragraphs;
}
