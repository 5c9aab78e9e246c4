import { getRequestConfig } from 'next-intl/server';
import { cookies } from 'next/headers';
import { DEFAULT_LOCALE, TIME_ZONE_COOKIE, isKnownTimeZone } from '../lib/shared/i18n';

/**
 * One catalogue per locale (English first). Dates are rendered in the viewer's time zone, which the
 * browser reports once through a cookie (see TimeZoneSyncClient); until then, UTC.
 */
export default getRequestConfig(async () => {
  const locale = DEFAULT_LOCALE;
  const reported = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  const timeZone = reported && isKnownTimeZone(reported) ? reported : 'UTC';
  return {
    locale,
    timeZone,
    messages: (await import(`../messages/${locale}.json`)).default,
    now: new Date(),
  };
});
