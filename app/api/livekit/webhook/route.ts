import { getDb } from '@/lib/db';
import { AppError, toSafeError } from '@/lib/shared/errors';
import { log } from '@/lib/server/log';
import { readCappedText } from '@/lib/server/route-guard';
import { mediaTransport } from '@/lib/server/video/media-transport';
import { MAX_WEBHOOK_BYTES, recordMediaWebhook } from '@/lib/server/video/record-media-webhook';

/**
 * V13: LiveKit's webhooks. Not a browser route: no session cookie, no Origin; the signature over the
 * raw body is the authentication (401 otherwise). 404 when LiveKit is not the transport.
 */
export async function POST(request: Request) {
  try {
    const transport = await mediaTransport();
    if (!transport.webhookReceiver) throw new AppError('not_found');
    const rawBody = await readCappedText(request, MAX_WEBHOOK_BYTES);
    const outcome = await recordMediaWebhook(await getDb(), transport.webhookReceiver, rawBody, request.headers.get('authorization'));
    return Response.json({ outcome });
  } catch (error) {
    const safe = toSafeError(error);
    if (safe.code === 'internal') log.error('video.webhook_failed', { error });
    return Response.json({ error: safe.code }, { status: error instanceof AppError ? error.status : 500 });
  }
}
