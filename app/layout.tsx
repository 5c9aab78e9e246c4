import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTimeZone, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { DEFAULT_LOCALE, isLocale, localeDirection } from '@/lib/shared/i18n';
import { TimeZoneSyncClient } from './components/TimeZoneSyncClient';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return { title: { default: t('name'), template: `%s · ${t('name')}` }, description: t('tagline') };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#1d4e89' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const timeZone = await getTimeZone();
  const t = await getTranslations('common');
  return (
    <html lang={locale} dir={localeDirection(isLocale(locale) ? locale : DEFAULT_LOCALE)}>
      <body>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        <NextIntlClientProvider>
          <TimeZoneSyncClient serverTimeZone={timeZone} />
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
