import { getDb } from '@/lib/db';
import { exportFormatOf, exportResponse } from '@/lib/documents/export';
import { exportMinutes, saveMinutesDraft } from '@/lib/server/sessions/minutes';
import { minutesReaderForRequest } from '@/lib/server/sessions/minutes-reader';
import { assertSameOrigin, readJsonObject, withSignedInUser } from '@/lib/server/route-guard';

type Context = { params: Promise<{ sessionId: string }> };

/** M5: the minutes as `?format=md|html|docx`, for whoever may read them now. */
export async function GET(request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    const format = exportFormatOf(request);
    const { sessionId } = await params;
    const { body, title } = await exportMinutes(await getDb(), user, sessionId, format, await minutesReaderForRequest());
    return exportResponse(body, title, format);
  });
}

/** M3: saves the minutes' draft `{ markdown }` (chair and secretariat, same origin). */
export async function PUT(request: Request, { params }: Context) {
  return withSignedInUser(async (user) => {
    assertSameOrigin(request);
    const { sessionId } = await params;
    const saved = await saveMinutesDraft(await getDb(), user, sessionId, await readJsonObject(request));
    return Response.json(saved, { headers: { 'cache-control': 'no-store' } });
  });
}
