import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { getDb } from '@/lib/db';
import { loadPublicDocument } from '@/lib/server/documents/public-document';
import { DocumentBlocks } from '../../../components/DocumentBlocks';
import { LocalTime } from '../../../components/LocalTime';
import { LanguageSwitcher } from '../../../components/LanguageSwitcher';
import { PrintButtonClient } from './PrintButtonClient';
import styles from './public-document.module.css';

type Props = { params: Promise<{ documentId: string }> };

/** One load per request, shared by the metadata and the page. */
const load = cache(async (documentId: string) => {
  const document = await loadPublicDocument(await getDb(), documentId);
  if (!document) notFound();
  return document;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const document = await load((await params).documentId);
  return { title: document.title, description: document.negotiationTitle };
}

/**
 * The public page of an adopted document: no sign-in. The adopted text, its fingerprint and the
 * delegations that signed it. Anything not adopted is a 404, like an unknown id.
 */
export default async function PublicDocumentPage({ params }: Props) {
  const document = await load((await params).documentId);
  const t = await getTranslations();
  return (
    <>
      <header className={styles.publicBar}>
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            Π
          </span>
          Proxenia
        </span>
        <span>{t('publicDocument.publicRecord')}</span>
        <LanguageSwitcher />
      </header>
      <main id="main" className={`stack ${styles.page}`}>
        <article aria-labelledby="document-title" className="stack">
          <header className={styles.header}>
            <p className={`muted ${styles.kicker}`}>{t('publicDocument.adoptedDocument', { kind: t(`documentKinds.${document.kind}`) })}</p>
            <h1 id="document-title">{document.title}</h1>
            <dl className={styles.facts} aria-label={t('publicDocument.facts')}>
              <div>
                <dt>{t('publicDocument.negotiation')}</dt>
                <dd>{document.negotiationTitle}</dd>
              </div>
              <div>
                <dt>{t('publicDocument.host')}</dt>
                <dd>{document.host}</dd>
              </div>
              <div>
                <dt>{t('publicDocument.adopted')}</dt>
                <dd>
                  <LocalTime at={document.adoptedAt} />
                </dd>
              </div>
            </dl>
            <p className={styles.noPrint}>
              <PrintButtonClient label={t('publicDocument.print')} />
            </p>
          </header>

          <section aria-labelledby="text-heading" className="stack">
            <h2 id="text-heading">{t('publicDocument.textHeading')}</h2>
            <div className={styles.text}>
              <DocumentBlocks blocks={document.blocks} topLevel={3} />
            </div>
          </section>

          <section aria-labelledby="signatories-heading" className="stack">
            <h2 id="signatories-heading">{t('publicDocument.signatories', { count: document.signatures.length })}</h2>
            {document.signatures.length === 0 ? (
              <p className="muted">{t('publicDocument.noSignatories')}</p>
            ) : (
              <ol className={styles.signatories}>
                {document.signatures.map((signature) => (
                  <li key={signature.delegationId} className={styles.signatory}>
                    <span className={styles.signatoryName}>{signature.delegationName}</span>
                    <span className={styles.signatoryMeta}>
                      {t(`actorKinds.${signature.actorKind}`)} · {signature.actorCountry}
                    </span>
                    <span>{t('publicDocument.signedBy', { name: signature.signerName })}</span>
                    <span className={styles.signatoryMeta}>
                      <LocalTime at={signature.signedAt} />
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section aria-labelledby="hash-heading" className="stack">
            <h2 id="hash-heading">{t('adoption.textHash')}</h2>
            <p>
              <code className={styles.hash}>{document.textHash}</code>
            </p>
            <p className={styles.hashHint}>{t('adoption.textHashHint')}</p>
          </section>
        </article>
      </main>
    </>
  );
}
