import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireUser } from '@/lib/server/auth/current-user';
import { signOutEverywhereAction } from '../actions/auth';
import { PageFrame } from '../components/PageFrame';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('title') };
}

export default async function AccountPage() {
  const user = await requireUser('/account');
  const t = await getTranslations('account');
  return (
    <PageFrame user={user} className="narrow stack">
      <h1>{t('title')}</h1>
      <section className="card">
        <dl>
          <dt>{t('name')}</dt>
          <dd>{user.name}</dd>
          <dt>{t('email')}</dt>
          <dd>{user.email}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="everywhere-heading">
        <h2 id="everywhere-heading">{t('everywhereTitle')}</h2>
        <p>{t('everywhereBody')}</p>
        <form action={signOutEverywhereAction}>
          <button type="submit" className="danger">
            {t('everywhereButton')}
          </button>
        </form>
      </section>
    </PageFrame>
  );
}
