import { getDb } from '@/lib/db';

export const dynamic = 'force-dynamic';

/** Liveness and storage check for load balancers and the README's smoke test. */
export async function GET() {
  try {
    const db = await getDb();
    await db.get('SELECT 1 AS ok');
    return Response.json({ status: 'ok', db: db.dialect }, { headers: { 'cache-control': 'no-store' } });
  } catch {
    return Response.json({ status: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
  }
}
