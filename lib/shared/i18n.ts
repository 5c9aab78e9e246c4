/** Locales with a message catalogue in messages/. */
export const LOCALES = ['en'] as const;
export const DEFAULT_LOCALE = 'en';

/** The cookie in which the browser reports its IANA time zone. */
export const TIME_ZONE_COOKIE = 'proxenia-tz';

/** Whether `zone` is an IANA time zone this runtime knows (cookies are client input). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
