import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { TUser } from '@/lib/db/repositories/people';
import { signOutAction } from '../actions/auth';
import { LanguageSwitcher } from './LanguageSwitcher';

/** The bar on every signed-in page: brand, who is signed in, account, language and sign-out. */
export async function TopBar({ user }: { user: TUser }) {
  const t = await getTranslations('nav');
  return (
    <header className="topbar">
      <Link href="/dashboard" className="brand">
        <span className="brand-mark" aria-hidden="true">
          Π
        </span>
        Proxenia
      </Link>
      <nav aria-label={t('main')}>
        <Link href="/dashboard">{t('dashboard')}</Link>
        <Link href="/account">
          <span className="visually-hidden">{t('signedInAs')} </span>
          <span className="user-name">{user.name}</span>
        </Link>
        <LanguageSwitcher />
        <form action={signOutAction}>
          <button type="submit" className="small">
            {t('signOut')}
          </button>
        </form>
      </nav>
    </header>
  );
}
