'use server';

import { CredentialsSignin } from 'next-auth';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db';
import { signOutEverywhere } from '@/lib/server/accounts/sign-out-everywhere';
import { signIn, signOut } from '@/lib/server/auth';
import { getSignedInUser } from '@/lib/server/auth/current-user';
import { formText, runFormAction } from '@/lib/server/form-action';
import { AppError } from '@/lib/shared/errors';
import type { TFormState } from '@/lib/shared/form-state';
import { fieldErrors, ZSignIn } from '@/lib/shared/schemas';

/** Only same-site paths are followed after sign-in, never another origin (open redirect). */
function safeReturnPath(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/dashboard';
}

/** Signs in with e-mail and password. */
export async function signInAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  return runFormAction(formData, async () => {
    const parsed = ZSignIn.safeParse({ email: formText(formData, 'email'), password: formText(formData, 'password') });
    if (!parsed.success) throw new AppError('invalid_input', fieldErrors(parsed.error));
    try {
      await signIn('credentials', { ...parsed.data, redirectTo: safeReturnPath(formText(formData, 'callbackUrl')) });
    } catch (error) {
      if (error instanceof CredentialsSignin) {
        throw new AppError(error.code === 'rate_limited' ? 'rate_limited' : 'invalid_credentials');
      }
      throw error;
    }
  });
}

/** Starts single sign-on with the configured OIDC provider. */
export async function signInWithOidcAction(formData: FormData): Promise<void> {
  await signIn('oidc', { redirectTo: safeReturnPath(formText(formData, 'callbackUrl')) });
}

/** Signs out of this browser. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/signin' });
}

/** Signs out of every browser and device, and closes open connections. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await getSignedInUser();
  if (user) await signOutEverywhere(await getDb(), user.id);
  await signOut({ redirect: false });
  redirect('/signin?signedOut=everywhere');
}
