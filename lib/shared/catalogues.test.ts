/**
 * Every interface language has a complete catalogue: the keys English has and no others, and in
 * each message the same arguments (a plain one may become a plural), the same select branches and
 * plural branches its own plural rules know. A translation that drops `{count}` or renames `{delegation}` fails here, not on a page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argumentsOf, parseMessage, pluralBranches, readCatalogue, selectBranches } from '../../tests/helpers/catalogues';
import { LOCALES } from './i18n';

const english = readCatalogue('en');

test('English parses as ICU messages', () => {
  assert.ok(english, 'messages/en.json is missing');
  for (const [key, message] of Object.entries(english)) assert.doesNotThrow(() => parseMessage(message), key);
});

for (const locale of LOCALES.filter((code) => code !== 'en')) {
  test(`${locale}: a catalogue with exactly English's keys`, () => {
    const catalogue = readCatalogue(locale);
    assert.ok(catalogue, `messages/${locale}.json is missing`);
    assert.ok(english);
    const missing = Object.keys(english).filter((key) => !(key in catalogue));
    const extra = Object.keys(catalogue).filter((key) => !(key in english));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  });

  test(`${locale}: every message keeps English's arguments, select branches and valid plural branches`, () => {
    const catalogue = readCatalogue(locale) ?? {};
    const categories = new Set<string>(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
    const problems: string[] = [];
    for (const [key, source] of Object.entries(english ?? {})) {
      const message = catalogue[key];
      if (message === undefined) continue;
      if (!message.trim()) problems.push(`${key}: empty`);
      let parsed;
      try {
        parsed = parseMessage(message);
      } catch (error) {
        problems.push(`${key}: does not parse (${(error as Error).message})`);
        continue;
      }
      const sourceElements = parseMessage(source);
      const expected = argumentsOf(sourceElements);
      // A language may need a plural where English has none ("{required} needed" → "# requises").
      const found = [...new Set(argumentsOf(parsed).map((argument) => argument.replace(/:(plural|number)$/, (kind) => (expected.includes(argument) ? kind : ':argument'))))].sort();
      if (found.join() !== expected.join()) problems.push(`${key}: arguments ${found.join(', ')} instead of ${expected.join(', ')}`);
      if (selectBranches(parsed).join() !== selectBranches(sourceElements).join()) problems.push(`${key}: select branches differ from English`);
      const unknown = pluralBranches(parsed).filter((branch) => !branch.startsWith('=') && !categories.has(branch));
      if (unknown.length > 0) problems.push(`${key}: plural branches ${unknown.join(', ')} do not exist in ${locale}`);
    }
    assert.deepEqual(problems, []);
  });
}
