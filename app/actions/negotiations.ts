'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { getDb } from '@/lib/db';
import type { TUser } from '@/lib/db/repositories/people';
import { signIn } from '@/lib/server/auth';
import { getSignedInUser } from '@/lib/server/auth/current-user';
import { formText, runFormAction } from '@/lib/server/form-action';
import { acceptInvitation } from '@/lib/server/negotiations/accept-invitation';
import { accreditDelegation } from '@/lib/server/negotiations/accredit-delegation';
import { changeMemberRole } from '@/lib/server/negotiations/change-member-role';
import { changeSessionStatus } from '@/lib/server/negotiations/change-session-status';
import { createDocument } from '@/lib/server/negotiations/create-document';
import { createNegotiation } from '@/lib/server/negotiations/create-negotiation';
import { inviteMember } from '@/lib/server/negotiations/invite-member';
import { scheduleSession } from '@/lib/server/negotiations/schedule-session';
import { setQuorumRule } from '@/lib/server/negotiations/set-quorum-rule';
import { setDraftingMode } from '@/lib/server/documents/set-drafting-mode';
import { AppError } from '@/lib/shared/errors';
import type { TFormState } from '@/lib/shared/form-state';
import { isKnownTimeZone, TIME_ZONE_COOKIE } from '@/lib/shared/i18n';
import { wallClockToInstant } from '@/lib/shared/time';

async function signedInUser(): Promise<TUser> {
  const user = await getSignedInUser();
  if (!user) throw new AppError('unauthenticated');
  return user;
}

/** An empty select means "none"; anything else is passed on for the schema to judge. */
function optionalId(formData: FormData, name: string): string | null {
  const value = formText(formData, name);
  return value ? value : null;
}

/** Creates a negotiation and opens it. */
export async function createNegotiationAction(_state: TFormState, formData: FormData): Promise<TFormState> {
  let id = '';
  const state = await runFormAction(formData, async () => {
    const negotiation = await createNegotiation(await getDb(), await signedInUser(), {
      title: formText(formData, 'title'),
      format: formText(formData, 'format'),
      host: formText(formData, 'host'),
      languages: formData.getAll('languages').filter((value) => typeof value === 'string'),
      description: formText(formData, 'description') ?? '',
    });
    id = negotiation.id;
  });
  if (state.status === 'success') redirect(`/negotiations/${id}`);
  return state;
}

/** Accredits a delegation: an existing actor, or a new one described in the form. */
export async function accreditDelegationAction(negotiationId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  return runFormAction(formData, async () => {
    const actorId = formText(formData, 'actorId');
    await accreditDelegation(await getDb(), await signedInUser(), negotiationId, {
      status: formText(formData, 'status'),
      actor: actorId
        ? { source: 'existing', actorId }
        : { source: 'new', name: formText(formData, 'name'), kind: formText(formData, 'kind'), country: formText(formData, 'country') },
    });
    revalidatePath(`/negotiations/${negotiationId}`, 'layout');
  }, { 'actor.actorId': 'actorId', 'actor.name': 'name', 'actor.kind': 'kind', 'actor.country': 'country' });
}

/** Creates an invitation and returns its link, shown once. */
export async function inviteMemberAction(negotiationId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  return runFormAction(formData, async () => {
    const { token, invitation, replaced } = await inviteMember(await getDb(), await signedInUser(), negotiationId, {
      email: formText(formData, 'email'),
      role: formText(formData, 'role'),
      delegationId: optionalId(formData, 'delegationId'),
    });
    revalidatePath(`/negotiations/${negotiationId}`, 'layout');
    return { status: 'success', data: { path: `/invite/${token}`, email: invitation.email, ...(replaced ? { replaced: 'true' } : {}) } };
  });
}

/** Changes a member's role and delegation. */
export async function changeMemberRoleAction(negotiationId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  return runFormAction(formData, async () => {
    await changeMemberRole(await getDb(), await signedInUser(), negotiationId, {
      membershipId: formText(formData, 'membershipId'),
      role: formText(formData, 'role'),
      delegationId: optionalId(formData, 'delegationId'),
    });
    revalidatePath(`/negotiations/${negotiationId}`, 'layout');
  });
}

/** Schedules a session at a wall-clock time in the viewer's time zone. */
export async function scheduleSessionAction(negotiationId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const state = await runFormAction(formData, async () => {
    const reported = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
    const zone = reported && isKnownTimeZone(reported) ? reported : 'UTC';
    const local = formText(formData, 'start') ?? '';
    const instant = wallClockToInstant(local, zone);
    await scheduleSession(await getDb(), await signedInUser(), negotiationId, {
      title: formText(formData, 'title'),
      scheduledStart: instant === null ? local : new Date(instant).toISOString(),
    });
  }, { scheduledStart: 'start' });
  if (state.status === 'success') redirect(`/negotiations/${negotiationId}`);
  return state;
}

/** Opens, suspends, resumes or closes a session. */
export async function changeSessionStatusAction(negotiationId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  return runFormAction(formData, async () => {
    await changeSessionStatus(await getDb(), await signedInUser(), negotiationId, {
      sessionId: formText(formData, 'sessionId'),
      status: formText(formData, 'status'),
      reason: formText(formData, 'reason'),
    });
    revalidatePath(`/negotiations/${negotiationId}`);
  });
}

/** Sets the negotiation's quorum rule (secretariat). */
export async function setQuorumRuleAction(negotiationId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  return runFormAction(formData, async () => {
    await setQuorumRule(await getDb(), await signedInUser(), negotiationId, { quorumRule: formText(formData, 'quorumRule') });
    revalidatePath(`/negotiations/${negotiationId}`, 'layout');
  });
}

/** Adds a document with its base text. */
export async function createDocumentAction(negotiationId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  const state = await runFormAction(formData, async () => {
    await createDocument(await getDb(), await signedInUser(), negotiationId, {
      title: formText(formData, 'title'),
      kind: formText(formData, 'kind'),
      baseText: formText(formData, 'baseText') ?? '',
    });
  });
  if (state.status === 'success') redirect(`/negotiations/${negotiationId}`);
  return state;
}

/** Accepts an invitation; a new invitee's account is created and signed in. */
export async function acceptInvitationAction(token: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  let negotiationId = '';
  const state = await runFormAction(formData, async () => {
    const password = formText(formData, 'password');
    const result = await acceptInvitation(await getDb(), await getSignedInUser(), {
      token,
      name: formText(formData, 'name') || undefined,
      password: password || undefined,
    });
    negotiationId = result.negotiationId;
    if (result.createdAccount && password) {
      await signIn('credentials', { email: result.email, password, redirectTo: `/negotiations/${negotiationId}?welcome=1` });
    }
  });
  if (state.status === 'success') redirect(`/negotiations/${negotiationId}?welcome=1`);
  return state;
}

/** Sets a document's drafting mode (chair, secretariat). */
export async function setDraftingModeAction(negotiationId: string, documentId: string, _state: TFormState, formData: FormData): Promise<TFormState> {
  return runFormAction(formData, async () => {
    await setDraftingMode(await getDb(), await signedInUser(), { documentId, mode: formText(formData, 'mode') });
    revalidatePath(`/negotiations/${negotiationId}/documents/${documentId}`);
  });
}
