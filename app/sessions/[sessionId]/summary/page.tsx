import type { Metadata } from 'next';
import Link from 'next/link';
import { forbidden, notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { getDb } from '@/lib/db';
import { EXPORT_FORMATS } from '@/lib/documents/export';
import { requireUser } from '@/lib/server/auth/current-user';
import { readSessionSummary } from '@/lib/server/sessions/minutes';
import { minutesReaderForRequest } from '@/lib/server/sessions/minutes-reader';
import { AppError } from '@/lib/shared/errors';
import { DocumentBlocks } from '../../../components/DocumentBlocks';
import { LocalTime } from '../../../components/LocalTime';
import { PageFrame } from '../../../components/PageFrame';
import { SessionStatusBadge } from '../../../components/SessionStatusBadge';
import { MinutesEditorClient } from './MinutesEditorClient';
import { SummaryChartsClient } from './SummaryChartsClient';

type Props = { params: Promise<{ sessionId: string }> };

/** M1: signed out → sign-in; not a member (or no such session) → 404; no `minutes.read` → 403. */
const load = cache(async (sessionId: string) => {
  const user = await requireUser(`/sessions/${sessionId}/summary`);
  try {
    return { user, summary: await readSessionSummary(await getDb(), user, sessionId, await minutesReaderForRequest()) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    if (error instanceof AppError && error.code === 'forbidden') forbidden();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { sessionId } = await params;
  const { summary } = await load(sessionId);
  const t = await getTranslations('summary');
  return { title: `${t('heading')} — ${summary.session.title}` };
}

/** A session's minutes (published, or the draft for the chair and secretariat) and its analytics as charts. */
export default async function SessionSummaryPage({ params }: Props) {
  const { sessionId } = await params;
  const { user, summary } = await load(sessionId);
  const t = await getTranslations('summary');
  const { session, minutes } = summary;
  const roomHref = `/negotiations/${session.negotiationId}/sessions/${session.id}`;
  return (
    <PageFrame
      user={user}
      crumbs={[
        { href: `/negotiations/${session.negotiationId}`, label: session.negotiationTitle },
        { href: roomHref, label: session.title },
      ]}
      current={t('heading')}
      className="stack session-summary"
    >
      <header className="stack">
        <h1>{session.title}</h1>
        <p className="cluster">
          <SessionStatusBadge status={session.status} />
          <span className={`badge ${minutes.status === 'published' ? 'ok' : 'neutral'}`}>
            {t(`status.${minutes.status}`)}
          </span>
          {minutes.status === 'draft' && minutes.updatedAt !== null && <LocalTime at={minutes.updatedAt} />}
          {minutes.status === 'published' && minutes.publishedAt !== null && <LocalTime at={minutes.publishedAt} />}
          <Link href={roomHref}>{t('backToRoom')}</Link>
        </p>
        {minutes.publishedHash && <p className="muted summary-hash">{t('publishedHash', { hash: minutes.publishedHash })}</p>}
      </header>

      <section className="stack" aria-labelledby="minutes-heading">
        <h2 id="minutes-heading">{t('minutesHeading')}</h2>
        {minutes.blocks === null ? (
          <p className="empty">{t('notPublished')}</p>
        ) : (
          <>
            <nav aria-label={t('exports')} className="cluster">
              <span>{t('exports')}:</span>
              {EXPORT_FORMATS.map((format) => (
                <a key={format} className="button secondary" href={`/api/sessions/${session.id}/minutes?format=${format}`} download={format === 'html' ? undefined : ''}>
                  {t(`export.${format}`)}
                </a>
              ))}
            </nav>
            <article className="card minutes-text">
              <DocumentBlocks blocks={minutes.blocks} topLevel={3} />
            </article>
          </>
        )}
        {summary.may.edit && minutes.markdown !== null && minutes.generated !== null && (
          <MinutesEditorClient sessionId={session.id} initial={minutes.markdown} generated={minutes.generated} mayPublish={summary.may.publish} />
        )}
      </section>

      <section className="stack" aria-labelledby="analytics-heading">
        <h2 id="analytics-heading">{t('analytics.heading')}</h2>
        <SummaryChartsClient analytics={summary.analytics} delegationNames={summary.delegationNames} />
      </section>
    </PageFrame>
  );
}
