import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PublicBar } from './components/PublicBar';

export default async function Forbidden() {
  const t = await getTranslations('errorPages');
  return (
    <>
      <PublicBar />
      <main id="main" className="narrow">
        <h1>{t('forbiddenTitle')}</h1>
        <p className="lead">{t('forbiddenBody')}</p>
        <Link href="/dashboard" className="button">
          {t('backToDashboard')}
        </Link>
      </main>
    </>
  );
}
