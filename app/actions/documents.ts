'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/lib/db';
import { getSignedInUser } from '@/lib/server/auth/current-user';
import { signDocument } from '@/lib/server/documents/sign-document';
import { runFormAction } from '@/lib/server/form-action';
import { AppError } from '@/lib/shared/errors';
import type { TFormState } from '@/lib/shared/form-state';

/** A head signs an adopted document on behalf of the delegation. */
export async function signDocumentAction(negotiationId: string, documentId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  return runFormAction(formData, async () => {
    const user = await getSignedInUser();
    if (!user) throw new AppError('unauthenticated');
    await signDocument(await getDb(), user, { documentId });
    revalidatePath(`/negotiations/${negotiationId}/documents/${documentId}`);
    revalidatePath(`/public/documents/${documentId}`);
  });
}
