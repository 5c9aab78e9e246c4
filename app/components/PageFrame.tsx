import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import type { TUser } from '@/lib/db/repositories/people';
import { TopBar } from './TopBar';

export interface TCrumb {
  href: string;
  label: string;
}

interface Props {
  user: TUser;
  /** The trail above this page, from the dashboard down (the dashboard itself is added). */
  crumbs?: TCrumb[];
  /** This page's name in the trail; no trail when absent. */
  current?: string;
  className?: string;
  children: ReactNode;
}

/** A signed-in page: the top bar, the breadcrumb trail and the main landmark. */
export async function PageFrame({ user, crumbs = [], current, className = 'stack', children }: Props) {
  const t = await getTranslations('nav');
  const trail = [{ href: '/dashboard', label: t('dashboard') }, ...crumbs];
  return (
    <>
      <TopBar user={user} />
      <main id="main" className={className}>
        {current && (
          <nav className="breadcrumb" aria-label={t('breadcrumb')}>
            <ol>
              {trail.map((crumb) => (
                <li key={crumb.href}>
                  <Link href={crumb.href}>{crumb.label}</Link>
                </li>
              ))}
              <li aria-current="page">{current}</li>
            </ol>
          </nav>
        )}
        {children}
      </main>
    </>
  );
}
