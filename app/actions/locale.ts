'use server';

import { cookies } from 'next/headers';
import { getDb } from '@/lib/db';
import { chooseLocale } from '@/lib/server/accounts/choose-locale';
import { getSignedInUser } from '@/lib/server/auth/current-user';
import { formText } from '@/lib/server/form-action';
import { AppError } from '@/lib/shared/errors';
import { LOCALE_COOKIE } from '@/lib/shared/i18n';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The language switcher: stores the choice on the account when signed in, and in a cookie either
 * way, so the sign-in page after signing out keeps the language too. The page then re-renders in it.
 * A choice that is not one of the interface languages changes nothing.
 */
export async function chooseLocaleAction(formData: FormData): Promise<void> {
  let locale;
  try {
    locale = await chooseLocale(await getDb(), await getSignedInUser(), { locale: formText(formData, 'locale') });
  } catch (error) {
    if (error instanceof AppError) return;
    throw error;
  }
  (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: ONE_YEAR_SECONDS, sameSite: 'lax', httpOnly: true });
}
