import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { oidcProviderName } from '@/lib/server/auth';
import { getSignedInUser } from '@/lib/server/auth/current-user';
import { signInAction, signInWithOidcAction } from '../actions/auth';
import { ActionForm, TextField } from '../components/FormClient';
import { PublicBar } from '../components/PublicBar';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('signIn'))('title') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = typeof params.callbackUrl === 'string' ? params.callbackUrl.slice(0, 500) : '/dashboard';
  if (await getSignedInUser()) redirect('/dashboard');
  const t = await getTranslations('signIn');
  const sso = oidcProviderName();
  return (
    <>
      <PublicBar />
      <main id="main" className="narrow">
        <div className="stack">
          <div>
            <p className="brand" style={{ color: 'var(--brand)' }}>
              <span className="brand-mark" aria-hidden="true" style={{ background: 'var(--brand)', color: '#fff' }}>
                Π
              </span>
              Proxenia
            </p>
            <h1>{t('title')}</h1>
            <p className="lead">{t('lead')}</p>
          </div>
          {params.signedOut === 'everywhere' && (
            <div className="alert info" role="status">
              {t('signedOutEverywhere')}
            </div>
          )}
          <section className="card" aria-labelledby="signin-heading">
            <h2 id="signin-heading" className="visually-hidden">
              {t('title')}
            </h2>
            <ActionForm action={signInAction} submitLabel={t('submit')}>
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <TextField name="email" type="email" label={t('email')} autoComplete="username" required maxLength={254} />
              <TextField name="password" type="password" label={t('password')} autoComplete="current-password" required maxLength={200} />
            </ActionForm>
            {sso && (
              <form action={signInWithOidcAction} style={{ marginTop: '1rem' }}>
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <button type="submit" className="secondary">
                  {t('sso', { provider: sso })}
                </button>
              </form>
            )}
          </section>
          <p className="muted">{t('invitationHint')}</p>
        </div>
      </main>
    </>
  );
}
