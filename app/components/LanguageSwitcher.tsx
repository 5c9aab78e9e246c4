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
        <span aria-hidden="true">🌐</span>
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
