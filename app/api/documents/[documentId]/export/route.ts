import { getDb } from '@/lib/db';
import { exportFormatOf, exportResponse } from '@/lib/documents/export';
import { exportDocument } from '@/lib/server/documents/export-document';
import { withSignedInUser } from '@/lib/server/route-guard';

/** Exports the stored text of a document: `?format=md|html|docx`. Anyone who may read it may export it. */
export async function GET(request: Request, { params }: { params: Promise<{ documentId: string }> }) {
  return withSignedInUser(async (user) => {
    const format = exportFormatOf(request);
    const { body, title } = await exportDocument(await getDb(), user, (await params).documentId, format);
    return exportResponse(body, title, format);
  });
}
