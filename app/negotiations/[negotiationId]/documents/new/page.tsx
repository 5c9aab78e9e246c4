import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { createDocumentAction } from '../../../../actions/negotiations';
import { ActionForm, SelectField, TextAreaField, TextField } from '../../../../components/FormClient';
import { TopBar } from '../../../../components/TopBar';
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
    <>
      <TopBar user={user} />
      <main id="main" className="stack">
        <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
          <ol>
            <li>
              <Link href={`/negotiations/${negotiation.id}`}>{negotiation.title}</Link>
            </li>
            <li aria-current="page">{t('newDocument.title')}</li>
          </ol>
        </nav>
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
      </main>
    </>
  );
}
