import { getRequestConfig } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { getSignedInUser } from '../lib/server/auth/current-user';
import { LOCALE_COOKIE, TIME_ZONE_COOKIE, isKnownTimeZone, resolveLocale } from '../lib/shared/i18n';

/**
 * The reader's language: their account's choice, else the one they switched to while signed out
 * (cookie), else their browser's Accept-Language, else English. Dates are rendered in the viewer's
 * time zone, which the browser reports once through a cookie (see TimeZoneSyncClient); until then, UTC.
 */
export default getRequestConfig(async () => {
  const jar = await cookies();
  const user = await getSignedInUser();
  const locale = resolveLocale({
    account: user?.locale,
    cookie: jar.get(LOCALE_COOKIE)?.value,
    acceptLanguage: (await headers()).get('accept-language'),
  });
  const reported = jar.get(TIME_ZONE_COOKIE)?.value;
  const timeZone = reported && isKnownTimeZone(reported) ? reported : 'UTC';
  return {
    locale,
    timeZone,
    messages: (await import(`../messages/${locale}.json`)).default,
    now: new Date(),
  };
});
