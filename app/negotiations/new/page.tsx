import type { Metadata } from 'next';
import { forbidden } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { can } from '@/lib/policy';
import { requireUser } from '@/lib/server/auth/current-user';
import { actorFor } from '@/lib/server/negotiations/authorize-in-negotiation';
import { LANGUAGES } from '@/lib/shared/domain';
import { createNegotiationAction } from '../../actions/negotiations';
import { ActionForm, ChoiceGroup, TextAreaField, TextField } from '../../components/FormClient';
import { PageFrame } from '../../components/PageFrame';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('newNegotiation'))('title') };
}

/** Organizers: create a negotiation (they become its secretariat). */
export default async function NewNegotiationPage() {
  const user = await requireUser('/negotiations/new');
  if (!can(actorFor(user, undefined), 'negotiation.create', { kind: 'platform' })) forbidden();
  const t = await getTranslations();
  return (
    <PageFrame user={user} current={t('newNegotiation.title')} className="narrow stack">
      <h1>{t('newNegotiation.title')}</h1>
      <p className="lead">{t('newNegotiation.lead')}</p>
      <section className="card">
        <ActionForm action={createNegotiationAction} submitLabel={t('newNegotiation.submit')}>
          <TextField name="title" label={t('newNegotiation.negotiationTitle')} required maxLength={200} />
          <ChoiceGroup
            name="format"
            type="radio"
            legend={t('newNegotiation.format')}
            defaultValues={['multilateral']}
            options={[
              { value: 'multilateral', label: t('formats.multilateral') },
              { value: 'bilateral', label: t('formats.bilateral') },
            ]}
          />
          <TextField name="host" label={t('newNegotiation.host')} hint={t('newNegotiation.hostHint')} required maxLength={200} />
          <ChoiceGroup
            name="languages"
            type="checkbox"
            legend={t('newNegotiation.languages')}
            defaultValues={['en']}
            options={LANGUAGES.map((code) => ({ value: code, label: t(`languages.${code}`) }))}
          />
          <TextAreaField name="description" label={t('newNegotiation.description')} maxLength={5000} />
        </ActionForm>
      </section>
    </PageFrame>
  );
}
