import { getDb } from '@/lib/db';
import { documentBlocks } from '@/lib/documents/blocks';
import { EXPORT_FORMATS, toDocx, toMarkdown, toPrintableHtml, type TExportFormat } from '@/lib/documents/export';
import { documentAccessFor } from '@/lib/server/documents/document-access';
import { readStoredDocument } from '@/lib/server/documents/read-document';
import { withSignedInUser } from '@/lib/server/route-guard';
import { AppError } from '@/lib/shared/errors';

const CONTENT_TYPES: Record<TExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** A file name from a title: letters, digits and dashes only. */
function fileName(title: string, format: TExportFormat): string {
  const base = title.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'document';
  return `${base}.${format}`;
}

/** Exports the stored text of a document: `?format=md|html|docx`. Anyone who may read it may export it. */
export async function GET(request: Request, { params }: { params: Promise<{ documentId: string }> }) {
  return withSignedInUser(async (user) => {
    const format = new URL(request.url).searchParams.get('format') ?? 'html';
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new AppError('invalid_input', { format: 'invalid_choice' });
    const chosen = format as TExportFormat;
    const db = await getDb();
    const { documentId } = await params;
    const { document } = await documentAccessFor(db, user, documentId);
    const doc = await readStoredDocument(db, document.id);
    const blocks = documentBlocks(doc);
    doc.destroy();
    const body = chosen === 'md' ? toMarkdown(blocks) : chosen === 'html' ? toPrintableHtml(document.title, blocks) : await toDocx(document.title, blocks);
    const disposition = chosen === 'html' ? 'inline' : 'attachment';
    return new Response(typeof body === 'string' ? body : Buffer.from(body), {
      headers: {
        'content-type': CONTENT_TYPES[chosen],
        'content-disposition': `${disposition}; filename="${fileName(document.title, chosen)}"`,
        'cache-control': 'no-store',
      },
    });
  });
}
