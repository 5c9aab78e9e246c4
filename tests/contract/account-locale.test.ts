/**
 * The interface language an account chooses, on every backend: stored on the account so every
 * browser it signs in from follows it, one account at a time, and only one of the catalogues.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findUserById } from '../../lib/db/repositories/people';
import { chooseLocale } from '../../lib/server/accounts/choose-locale';
import { LOCALES } from '../../lib/shared/i18n';
import { testBackends } from '../helpers/databases';
import { buildUser } from '../helpers/factories';
import { refusedWithNothingStored, useDatabase } from './support';

for (const backend of testBackends()) {
  describe(`${backend.name}: chooseLocale`, () => {
    const ctx = useDatabase(backend);

    test('a new account has no choice; choosing stores it on that account only, and a later choice replaces it', async () => {
      const user = await buildUser(ctx.db);
      const bystander = await buildUser(ctx.db);
      assert.equal((await findUserById(ctx.db, user.id))?.locale, null);
      assert.equal(await chooseLocale(ctx.db, user, { locale: 'fr' }), 'fr');
      assert.equal((await findUserById(ctx.db, user.id))?.locale, 'fr');
      assert.equal(await chooseLocale(ctx.db, user, { locale: 'pt' }), 'pt');
      assert.equal((await findUserById(ctx.db, user.id))?.locale, 'pt');
      assert.equal((await findUserById(ctx.db, bystander.id))?.locale, null);
    });

    test('every interface language can be chosen', async () => {
      const user = await buildUser(ctx.db);
      for (const locale of LOCALES) {
        await chooseLocale(ctx.db, user, { locale });
        assert.equal((await findUserById(ctx.db, user.id))?.locale, locale);
      }
    });

    test('signed out, the choice is validated and nothing is stored', async () => {
      assert.equal(await chooseLocale(ctx.db, null, { locale: 'es' }), 'es');
    });

    test('a language without a catalogue, a tag variant or extra fields are invalid_input, and the account keeps its choice', async () => {
      const user = await buildUser(ctx.db);
      await chooseLocale(ctx.db, user, { locale: 'es' });
      for (const input of [{ locale: 'de' }, { locale: 'fr-CA' }, { locale: '' }, {}, { locale: 'fr', userId: 'someone-else' }, 'fr']) {
        await refusedWithNothingStored(ctx.db, () => chooseLocale(ctx.db, user, input), 'invalid_input');
      }
      assert.equal((await findUserById(ctx.db, user.id))?.locale, 'es');
    });
  });
}
