/**
 * The interface languages. Adding one is one line in LANGUAGE_TABLE plus its catalogue
 * messages/<code>.json: the switcher, `<html lang dir>` and Accept-Language matching follow.
 * Each language is named in its own script, as a reader of it looks for it.
 */
const LANGUAGE_TABLE = {
  en: { name: 'English', dir: 'ltr' },
  fr: { name: 'Français', dir: 'ltr' },
  es: { name: 'Español', dir: 'ltr' },
  pt: { name: 'Português', dir: 'ltr' },
  ru: { name: 'Русский', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
  zh: { name: '中文', dir: 'ltr' },
} as const satisfies Record<string, { name: string; dir: 'ltr' | 'rtl' }>;

export type TLocale = keyof typeof LANGUAGE_TABLE;

/** Locales with a message catalogue in messages/, English first. */
export const LOCALES = Object.keys(LANGUAGE_TABLE) as [TLocale, ...TLocale[]];
export const DEFAULT_LOCALE: TLocale = 'en';

/** The cookie in which the browser reports its IANA time zone. */
export const TIME_ZONE_COOKIE = 'proxenia-tz';
/** The cookie that remembers a language chosen with the switcher (signed out, or before sign-in). */
export const LOCALE_COOKIE = 'proxenia-locale';

export function isLocale(value: unknown): value is TLocale {
  return typeof value === 'string' && Object.hasOwn(LANGUAGE_TABLE, value);
}

/** The language's own name for itself ("Français"), for the switcher. */
export function localeName(locale: TLocale): string {
  return LANGUAGE_TABLE[locale].name;
}

/** The writing direction of the locale, for `<html dir>`. */
export function localeDirection(locale: TLocale): 'ltr' | 'rtl' {
  return LANGUAGE_TABLE[locale].dir;
}

/**
 * The interface locale for a BCP 47 tag: by its primary language subtag, so `fr-CA` is French,
 * `pt-BR` Portuguese and `zh-Hans-CN` Chinese; null when there is no catalogue for it.
 */
export function localeForTag(tag: string): TLocale | null {
  const primary = tag.trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
  return isLocale(primary) ? primary : null;
}

/**
 * The best catalogue for an Accept-Language header (RFC 9110 §12.5.4): ranges by descending
 * q-value, ties in the order given, q=0 meaning "not this one"; null when none matches.
 */
export function negotiateLocale(header: string | null | undefined): TLocale | null {
  if (!header) return null;
  const ranges = header
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';').map((piece) => piece.trim());
      const qParam = params.find((param) => /^q=/i.test(param));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { tag, q: Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0, index };
    })
    .filter((range) => range.q > 0 && range.tag && range.tag !== '*')
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    const locale = localeForTag(range.tag);
    if (locale) return locale;
  }
  return null;
}

/** The account's preference, then the remembered switch, then the browser's languages, then English. */
export function resolveLocale(choices: { account?: string | null; cookie?: string | null; acceptLanguage?: string | null }): TLocale {
  if (isLocale(choices.account)) return choices.account;
  if (isLocale(choices.cookie)) return choices.cookie;
  return negotiateLocale(choices.acceptLanguage) ?? DEFAULT_LOCALE;
}

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
