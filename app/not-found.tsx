import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PublicBar } from './components/PublicBar';

export default async function NotFound() {
  const t = await getTranslations('errorPages');
  return (
    <>
      <PublicBar />
      <main id="main" className="narrow">
        <h1>{t('notFoundTitle')}</h1>
        <p className="lead">{t('notFoundBody')}</p>
        <Link href="/dashboard" className="button">
          {t('backToDashboard')}
        </Link>
      </main>
    </>
  );
}
