import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PublicBar } from './PublicBar';

/** The page for a refusal or a missing page: what happened, and the way back to one's negotiations. */
export async function ErrorPage({ kind }: { kind: 'forbidden' | 'notFound' }) {
  const t = await getTranslations('errorPages');
  return (
    <>
      <PublicBar />
      <main id="main" className="narrow">
        <h1>{t(`${kind}Title`)}</h1>
        <p className="lead">{t(`${kind}Body`)}</p>
        <Link href="/dashboard" className="button">
          {t('backToDashboard')}
        </Link>
      </main>
    </>
  );
}
