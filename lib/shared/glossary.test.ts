/**
 * The catalogues speak the negotiation's vocabulary consistently: wherever English uses a term of
 * messages/glossary.json, the translation uses that term's rendering (or an accepted inflection).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { literalText, MESSAGES_DIR, parseMessage, readCatalogue } from '../../tests/helpers/catalogues';
import { LOCALES } from './i18n';

interface TTerm {
  id: string;
  en: string;
  enForms?: string[];
  /** Endings that still make the term (default -s, -es, -ed). */
  enSuffixes?: string[];
  accept?: Record<string, string[]>;
  except?: string[];
  /** Not in any message yet. */
  unused?: boolean;
  [locale: string]: unknown;
}

/** Every language the product is to speak: the glossary covers them all, catalogue or not. */
const GLOSSARY_LANGUAGES = ['en', 'fr', 'es', 'ru', 'ar', 'zh', 'pt'];

const glossary = JSON.parse(fs.readFileSync(path.join(MESSAGES_DIR, 'glossary.json'), 'utf8')) as { terms: TTerm[] };

/** Compared without case, composed the same way, with one kind of apostrophe. */
const normalize = (text: string) => text.normalize('NFC').replace(/[’‘]/g, "'").toLowerCase();

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function usesTerm(english: string, term: TTerm): boolean {
  const spellings = [term.en, ...(term.enForms ?? [])].map((form) => escape(normalize(form)));
  const suffixes = (term.enSuffixes ?? ['s', 'es', 'ed']).join('|');
  return new RegExp(`(?<![\\p{L}-])(${spellings.join('|')})(${suffixes})?(?![\\p{L}-])`, 'u').test(normalize(english));
}

test('the glossary gives every term in all seven languages, once', () => {
  const ids = glossary.terms.map((term) => term.id);
  assert.deepEqual(ids, [...new Set(ids)]);
  for (const term of glossary.terms) {
    for (const language of GLOSSARY_LANGUAGES) {
      assert.ok(typeof term[language] === 'string' && (term[language] as string).trim(), `${term.id}: no ${language}`);
    }
  }
});

test('the glossary’s terms occur in English, so each one is checked (or is marked unused)', () => {
  const english = Object.values(readCatalogue('en') ?? {}).map((message) => literalText(parseMessage(message)));
  const unused = glossary.terms.filter((term) => !term.unused && !english.some((text) => usesTerm(text, term)));
  assert.deepEqual(unused.map((term) => term.id), []);
});

for (const locale of LOCALES.filter((code) => code !== 'en')) {
  test(`${locale}: where English uses a glossary term, the translation uses its rendering`, () => {
    const english = readCatalogue('en') ?? {};
    const catalogue = readCatalogue(locale);
    assert.ok(catalogue, `messages/${locale}.json is missing`);
    const misses: string[] = [];
    for (const term of glossary.terms) {
      const renderings = [term[locale] as string, ...(term.accept?.[locale] ?? [])].map(normalize);
      for (const [key, source] of Object.entries(english)) {
        if (term.except?.includes(key) || term.except?.includes(`${locale}:${key}`)) continue;
        if (!usesTerm(literalText(parseMessage(source)), term)) continue;
        const translated = catalogue[key];
        if (translated === undefined) continue;
        const text = normalize(literalText(parseMessage(translated)));
        if (!renderings.some((rendering) => text.includes(rendering))) misses.push(`${key} (${term.id} → ${term[locale] as string}): ${translated}`);
      }
    }
    assert.deepEqual(misses, []);
  });
}
