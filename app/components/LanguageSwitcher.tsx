'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useId } from 'react';
import { LOCALES, localeName } from '@/lib/shared/i18n';
import { chooseLocaleAction } from '../actions/locale';

/**
 * The interface language, on every page: each language named in its own script and marked with its
 * `lang`, so a reader finds theirs whatever the page is in now. A button applies the choice rather
 * than the select itself, so moving through the options never reloads the page (WCAG 3.2.2).
 */
export function LanguageSwitcher() {
  const locale = useLocale();
  const t = useTranslations('nav');
  const id = useId();
  return (
    <form action={chooseLocaleAction} className="language-switcher">
      <label htmlFor={id}>
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.8">
          <circle cx="12" cy="12" r="9" />
          <path d="M3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z" />
        </svg>
        <span className="visually-hidden">{t('language')}</span>
      </label>
      <select id={id} name="locale" defaultValue={locale} key={locale}>
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {localeName(code)}
          </option>
        ))}
      </select>
      <button type="submit" className="small">
        {t('changeLanguage')}
      </button>
    </form>
  );
}
