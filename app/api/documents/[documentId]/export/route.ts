import { getDb } from '@/lib/db';
import { documentBlocks } from '@/lib/documents/blocks';
import { exportFormatOf, exportResponse, toDocx, toMarkdown, toPrintableHtml } from '@/lib/documents/export';
import { documentAccessFor } from '@/lib/server/documents/document-access';
import { readStoredDocument } from '@/lib/server/documents/read-document';
import { withSignedInUser } from '@/lib/server/route-guard';

/** Exports the stored text of a document: `?format=md|html|docx`. Anyone who may read it may export it. */
export async function GET(request: Request, { params }: { params: Promise<{ documentId: string }> }) {
  return withSignedInUser(async (user) => {
    const format = exportFormatOf(request);
    const db = await getDb();
    const { documentId } = await params;
    const { document } = await documentAccessFor(db, user, documentId);
    const doc = await readStoredDocument(db, document.id);
    const blocks = documentBlocks(doc);
    doc.destroy();
    const body = format === 'md' ? toMarkdown(blocks) : format === 'html' ? toPrintableHtml(document.title, blocks) : await toDocx(document.title, blocks);
    return exportResponse(body, document.title, format);
  });
}
