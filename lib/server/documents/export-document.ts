import { createTranslator } from 'next-intl';
import messages from '../../../messages/en.json' with { type: 'json' };
import type { Database } from '../../db';
import { listBrackets } from '../../db/repositories/brackets';
import { listParagraphStatuses } from '../../db/repositories/documents';
import type { TUser } from '../../db/repositories/people';
import { documentBlocks, type TBlock } from '../../documents/blocks';
import { toDocx, toMarkdown, toPrintableHtml, type TDraftNotes, type TExportFormat } from '../../documents/export';
import { recordedStatus } from '../../documents/paragraph-totals';
import { DEFAULT_LOCALE } from '../../shared/i18n';
import { documentAccessFor } from './document-access';
import { readStoredDocument } from './read-document';

/** An export is a document, written in the catalogue's words like every page. */
const t = createTranslator({ locale: DEFAULT_LOCALE, messages, namespace: 'editor' });

/**
 * Each paragraph of a draft with its status and its open brackets (the disputed wording, in square
 * brackets as drafters write them), so an exported draft says what the room's totals say.
 */
export function draftNotes(blocks: readonly TBlock[], statuses: Record<string, string>, openBrackets: readonly { pid: string; originalText: string }[]): TDraftNotes {
  const notes: Record<string, string> = {};
  for (const block of blocks) {
    if (!block.pid || block.type === 'heading') continue;
    const status = t(`status.names.${recordedStatus(statuses[block.pid])}`);
    const brackets = openBrackets.filter((bracket) => bracket.pid === block.pid).map((bracket) => `[${bracket.originalText}]`);
    notes[block.pid] = brackets.length ? t('exportNote.withBrackets', { status, count: brackets.length, brackets: brackets.join(' ') }) : t('exportNote.status', { status });
  }
  return notes;
}

/** The stored (acknowledged) text as `format`, for anyone who may read it; a draft carries its paragraphs' standing. */
export async function exportDocument(db: Database, user: TUser, documentId: unknown, format: TExportFormat): Promise<{ body: string | Uint8Array; title: string }> {
  const { document } = await documentAccessFor(db, user, documentId);
  const doc = await readStoredDocument(db, document.id);
  const blocks = documentBlocks(doc);
  doc.destroy();
  const notes =
    document.draftingMode === 'adopted'
      ? undefined
      : draftNotes(blocks, await listParagraphStatuses(db, document.id), (await listBrackets(db, document.id)).filter((bracket) => bracket.resolvedAt === null));
  const title = document.title;
  if (format === 'md') return { body: toMarkdown(blocks, notes), title };
  if (format === 'html') return { body: toPrintableHtml(title, blocks, DEFAULT_LOCALE, notes), title };
  return { body: await toDocx(title, blocks, notes), title };
}
