import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LOCALE, isLocale, LOCALES, localeDirection, localeForTag, localeName, negotiateLocale, resolveLocale } from './i18n';

test('a regional or script variant falls to its language’s catalogue', () => {
  assert.equal(localeForTag('fr-CA'), 'fr');
  assert.equal(localeForTag('pt-BR'), 'pt');
  assert.equal(localeForTag('es-419'), 'es');
  assert.equal(localeForTag('EN_gb'), 'en');
  assert.equal(localeForTag('de-DE'), null);
  assert.equal(localeForTag('frx'), null);
});

test('Chinese tags, with a script or a region, are Chinese', { skip: !isLocale('zh') && 'no Chinese catalogue yet' }, () => {
  for (const tag of ['zh', 'zh-Hans', 'zh-CN', 'zh-Hans-CN', 'zh-TW']) assert.equal(localeForTag(tag), 'zh', tag);
});

test('Accept-Language is ranked by q-value, ties in the order given, q=0 excluded', () => {
  assert.equal(negotiateLocale('fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7'), 'fr');
  assert.equal(negotiateLocale('en;q=0.5, pt-BR;q=0.9'), 'pt', 'the higher q wins, wherever it stands');
  assert.equal(negotiateLocale('de-DE, es;q=0.3, en;q=0.2'), 'es', 'a language without a catalogue is passed over');
  assert.equal(negotiateLocale('es, fr'), 'es', 'equal q: the first listed');
  assert.equal(negotiateLocale('fr;q=0, es;q=0.1'), 'es', 'q=0 means not this one');
  assert.equal(negotiateLocale('FR-ca ; Q=0.8'), 'fr', 'tags and parameters are case-insensitive');
  assert.equal(negotiateLocale('fr;q=2, es;q=0.5'), 'es', 'an impossible q counts as not acceptable');
  assert.equal(negotiateLocale('*, de'), null);
  assert.equal(negotiateLocale(''), null);
  assert.equal(negotiateLocale(null), null);
});

test('the account’s choice wins, then the remembered switch, then the browser, then English', () => {
  assert.equal(resolveLocale({ account: 'es', cookie: 'pt', acceptLanguage: 'fr' }), 'es');
  assert.equal(resolveLocale({ account: null, cookie: 'pt', acceptLanguage: 'fr' }), 'pt');
  assert.equal(resolveLocale({ account: 'xx', cookie: '<script>', acceptLanguage: 'fr-CA' }), 'fr', 'unknown stored values are ignored');
  assert.equal(resolveLocale({ acceptLanguage: 'de, ja' }), DEFAULT_LOCALE);
  assert.equal(resolveLocale({}), 'en');
});

test('every locale has its own name and a direction; only Arabic is written right to left', () => {
  for (const locale of LOCALES) {
    assert.ok(localeName(locale).length > 1, locale);
    assert.equal(localeDirection(locale), (locale as string) === 'ar' ? 'rtl' : 'ltr', locale);
  }
  assert.equal(localeName('fr'), 'Français');
  assert.equal(LOCALES[0], 'en');
});
