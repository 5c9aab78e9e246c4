import type { Metadata } from 'next';
import Link from 'next/link';
import { getTimeZone, getTranslations } from 'next-intl/server';
import { scheduleSessionAction } from '../../../../actions/negotiations';
import { ActionForm, TextField } from '../../../../components/FormClient';
import { TopBar } from '../../../../components/TopBar';
import { loadNegotiation } from '../../load-negotiation';

type Props = { params: Promise<{ negotiationId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('schedule'))('title') };
}

/** Chair and secretariat: schedule a session. */
export default async function ScheduleSessionPage({ params }: Props) {
  const { negotiationId } = await params;
  const { user, overview } = await loadNegotiation(negotiationId, `/negotiations/${negotiationId}/sessions/new`, 'session.schedule');
  const t = await getTranslations();
  const timeZone = await getTimeZone();
  const { negotiation } = overview;
  return (
    <>
      <TopBar user={user} />
      <main id="main" className="narrow stack">
        <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
          <ol>
            <li>
              <Link href={`/negotiations/${negotiation.id}`}>{negotiation.title}</Link>
            </li>
            <li aria-current="page">{t('schedule.title')}</li>
          </ol>
        </nav>
        <h1>{t('schedule.title')}</h1>
        <section className="card">
          <ActionForm action={scheduleSessionAction.bind(null, negotiation.id)} submitLabel={t('schedule.submit')}>
            <TextField name="title" label={t('schedule.sessionTitle')} required maxLength={200} />
            <TextField name="start" type="datetime-local" label={t('schedule.start')} hint={t('schedule.startHint', { timeZone })} required />
          </ActionForm>
        </section>
      </main>
    </>
  );
}
