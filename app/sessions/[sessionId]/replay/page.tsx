import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db';
import { findNegotiationById } from '@/lib/db/repositories/negotiations';
import { requireUser } from '@/lib/server/auth/current-user';
import { readSessionReplay, type TSessionReplayView } from '@/lib/server/sessions/replay/read-session-replay';
import { readReplayTimeline } from '@/lib/server/sessions/replay/replay-timeline';
import { AppError } from '@/lib/shared/errors';
import { PageFrame } from '../../../components/PageFrame';
import { ReplayClient } from './ReplayClient';

type Props = { params: Promise<{ sessionId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** R2/R3 through the page: a deep link's `seq` or `t`, checked by the same use case as the API. */
async function replayAt(sessionId: string, searchParams: Props['searchParams']): Promise<{ view: TSessionReplayView; invalidLink: boolean }> {
  const user = await requireUser(`/sessions/${sessionId}/replay`);
  const db = await getDb();
  const { seq, t } = await searchParams;
  const query = Object.fromEntries(Object.entries({ seq, t }).filter(([, value]) => value !== undefined));
  try {
    return { view: await readSessionReplay(db, user, sessionId, query), invalidLink: false };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'not_found') notFound();
    if (error.code === 'forbidden') forbidden();
    if (error.code !== 'invalid_input') throw error;
    // A link whose moment is not a seq or a time: show the end of the record and say why.
    return { view: await readSessionReplay(db, user, sessionId, {}), invalidLink: true };
  }
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { view } = await replayAt((await params).sessionId, searchParams);
  const t = await getTranslations('replay');
  return { title: t('heading', { title: view.title }) };
}

/** The replay of a session: its timeline, and the text, floor, votes, attendance and chat at any moment. */
export default async function ReplayPage({ params, searchParams }: Props) {
  const { sessionId } = await params;
  const { view, invalidLink } = await replayAt(sessionId, searchParams);
  const user = await requireUser(`/sessions/${sessionId}/replay`);
  const db = await getDb();
  const [timeline, negotiation, t] = await Promise.all([readReplayTimeline(db, user, sessionId), findNegotiationById(db, view.negotiationId), getTranslations('replay')]);
  return (
    <PageFrame
      user={user}
      crumbs={[
        { href: `/negotiations/${view.negotiationId}`, label: negotiation?.title ?? '' },
        { href: `/negotiations/${view.negotiationId}/sessions/${view.sessionId}`, label: view.title },
      ]}
      current={t('current')}
      className="replay-page"
    >
      <ReplayClient initial={view} timeline={timeline} invalidLink={invalidLink} />
    </PageFrame>
  );
}
