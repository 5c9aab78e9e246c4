import type { Metadata } from 'next';
import { getTimeZone, getTranslations } from 'next-intl/server';
import { scheduleSessionAction } from '../../../../actions/negotiations';
import { ActionForm, TextField } from '../../../../components/FormClient';
import { PageFrame } from '../../../../components/PageFrame';
import { loadNegotiation } from '../../load-negotiation';
import { PastStartWarning } from './PastStartWarningClient';

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
    <PageFrame user={user} crumbs={[{ href: `/negotiations/${negotiation.id}`, label: negotiation.title }]} current={t('schedule.title')} className="narrow stack">
      <h1>{t('schedule.title')}</h1>
      <section className="card">
        <ActionForm action={scheduleSessionAction.bind(null, negotiation.id)} submitLabel={t('schedule.submit')}>
          <TextField name="title" label={t('schedule.sessionTitle')} required maxLength={200} />
          <PastStartWarning>
            <TextField name="start" type="datetime-local" label={t('schedule.start')} hint={t('schedule.startHint', { timeZone })} required />
          </PastStartWarning>
        </ActionForm>
      </section>
    </PageFrame>
  );
}
