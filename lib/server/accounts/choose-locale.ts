import type { Database } from '../../db';
import { setUserLocale, type TUser } from '../../db/repositories/people';
import type { TLocale } from '../../shared/i18n';
import { ZChooseLocale } from '../../shared/schemas';
import { parseInput } from '../parse-input';

/**
 * The language switcher: validates the choice and, for a signed-in person, stores it on the account
 * so every browser they sign in from follows it. Signed out, the caller only remembers it in a cookie.
 */
export async function chooseLocale(db: Database, user: TUser | null, input: unknown): Promise<TLocale> {
  const { locale } = parseInput(ZChooseLocale, input);
  if (user) await setUserLocale(db, user.id, locale);
  return locale;
}
