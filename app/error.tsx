'use client';

import { useTranslations } from 'next-intl';
import { PublicBar } from './components/PublicBar';

/** Shown when a page fails unexpectedly; the details stay in the server log. */
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations('errorPages');
  return (
    <>
      <PublicBar />
      <main id="main" className="narrow">
        <h1>{t('errorTitle')}</h1>
        <p className="lead">{t('errorBody')}</p>
        <button type="button" onClick={reset}>
          {t('retry')}
        </button>
      </main>
    </>
  );
}
