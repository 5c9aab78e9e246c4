import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { createDocumentAction } from '../../../../actions/negotiations';
import { ActionForm, SelectField, TextAreaField, TextField } from '../../../../components/FormClient';
import { PageFrame } from '../../../../components/PageFrame';
import { loadNegotiation } from '../../load-negotiation';

type Props = { params: Promise<{ negotiationId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('newDocument'))('title') };
}

/** Secretariat: prepare a document with its base text. */
export default async function NewDocumentPage({ params }: Props) {
  const { negotiationId } = await params;
  const { user, overview } = await loadNegotiation(negotiationId, `/negotiations/${negotiationId}/documents/new`, 'document.create');
  const t = await getTranslations();
  const { negotiation } = overview;
  return (
    <PageFrame user={user} crumbs={[{ href: `/negotiations/${negotiation.id}`, label: negotiation.title }]} current={t('newDocument.title')}>
      <h1>{t('newDocument.title')}</h1>
      <section className="card">
        <ActionForm action={createDocumentAction.bind(null, negotiation.id)} submitLabel={t('newDocument.submit')}>
          <TextField name="title" label={t('newDocument.documentTitle')} required maxLength={200} />
          <SelectField
            name="kind"
            label={t('newDocument.kind')}
            options={(['declaration', 'agreement', 'memorandum'] as const).map((kind) => ({ value: kind, label: t(`documentKinds.${kind}`) }))}
            defaultValue={negotiation.format === 'bilateral' ? 'agreement' : 'declaration'}
          />
          <TextAreaField name="baseText" label={t('newDocument.baseText')} hint={t('newDocument.baseTextHint')} maxLength={100000} />
        </ActionForm>
      </section>
    </PageFrame>
  );
}
