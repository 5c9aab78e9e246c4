/**
 * Input schemas for every form and request. Objects are strict: unknown keys (`role`, `__proto__`,
 * ids the server owns) make the input invalid rather than being silently carried along.
 */
import { z } from 'zod';
import {
  ZActorKind,
  ZDelegationStatus,
  ZDocumentKind,
  ZLanguage,
  ZNegotiationFormat,
  ZQuorumRule,
  ZRole,
  ZSessionStatus,
} from './domain';
import { LOCALES } from './i18n';

// Control characters (other than tab/newline in long text) never belong in names or titles.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

/** A single-line human text: trimmed, bounded, no control or bidi-override characters. */
export const zLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'required')
    .max(max, 'too_long')
    .refine((value) => !CONTROL_CHARACTERS.test(value) && !/[\r\n]/.test(value), 'invalid_characters');

/** A multi-line human text, possibly empty. */
export const zText = (max: number) =>
  z
    .string()
    .max(max, 'too_long')
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'invalid_characters');

/** Server-issued ids are UUIDs; anything else is refused before any lookup. */
export const ZId = z.uuid('invalid_id');

export const ZEmail = z
  .string()
  .trim()
  .max(254, 'too_long')
  .pipe(z.email('invalid_email'))
  .transform((value) => value.toLowerCase());

export const ZPassword = z.string().min(10, 'password_too_short').max(200, 'too_long');

export const ZSignIn = z.strictObject({
  email: ZEmail,
  password: z.string().min(1, 'required').max(200, 'too_long'),
});

export const ZCreateNegotiation = z.strictObject({
  title: zLine(200),
  format: ZNegotiationFormat,
  host: zLine(200),
  languages: z.array(ZLanguage).min(1, 'required').max(6),
  description: zText(5000),
});
export type TCreateNegotiation = z.infer<typeof ZCreateNegotiation>;

export const ZAccreditDelegation = z.strictObject({
  status: ZDelegationStatus,
  actor: z.discriminatedUnion('source', [
    z.strictObject({ source: z.literal('existing'), actorId: ZId }),
    z.strictObject({
      source: z.literal('new'),
      name: zLine(200),
      kind: ZActorKind,
      country: zLine(100),
    }),
  ]),
});
export type TAccreditDelegation = z.infer<typeof ZAccreditDelegation>;

export const ZInviteMember = z.strictObject({
  email: ZEmail,
  role: ZRole,
  delegationId: ZId.nullable(),
});
export type TInviteMember = z.infer<typeof ZInviteMember>;

export const ZAcceptInvitation = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'invitation_invalid'),
  /** Name and password are required when the invitee has no account yet. */
  name: zLine(120).optional(),
  password: ZPassword.optional(),
});
export type TAcceptInvitation = z.infer<typeof ZAcceptInvitation>;

export const ZChangeMemberRole = z.strictObject({
  membershipId: ZId,
  role: ZRole,
  delegationId: ZId.nullable(),
});
export type TChangeMemberRole = z.infer<typeof ZChangeMemberRole>;

/** Sessions are scheduled within a sane window; the UI sends an ISO instant. */
export const ZScheduleSession = z.strictObject({
  title: zLine(200),
  scheduledStart: z.iso
    .datetime({ offset: true, message: 'invalid_date' })
    .transform((value) => Date.parse(value))
    .refine((ms) => ms > Date.UTC(2000, 0, 1) && ms < Date.UTC(2100, 0, 1), 'invalid_date'),
});
export type TScheduleSession = z.infer<typeof ZScheduleSession>;

/** Why the chair cancels a session, for the record (S85); blank means no reason given. */
export const ZCancelReason = zText(500).optional();

export const ZChangeSessionStatus = z.strictObject({
  sessionId: ZId,
  status: ZSessionStatus,
  reason: ZCancelReason,
});
export type TChangeSessionStatus = z.infer<typeof ZChangeSessionStatus>;

/** The negotiation's quorum rule (secretariat). */
export const ZSetQuorumRule = z.strictObject({ quorumRule: ZQuorumRule });

export const ZCreateDocument = z.strictObject({
  title: zLine(200),
  kind: ZDocumentKind,
  baseText: zText(100_000),
});
export type TCreateDocument = z.infer<typeof ZCreateDocument>;

/** The language switcher: one of the interface languages. */
export const ZChooseLocale = z.strictObject({ locale: z.enum(LOCALES) });

/** Field name → message key, for showing validation errors next to form fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.filter((part) => typeof part !== 'symbol').join('.') || 'form';
    fields[key] ??= /^[a-z_]+$/.test(issue.message) ? issue.message : (GENERIC_KEYS[issue.code] ?? 'invalid_value');
  }
  return fields;
}

/** Message keys for zod's own issues, where a schema gave no key of ours. */
const GENERIC_KEYS: Partial<Record<z.core.$ZodIssue['code'], string>> = {
  invalid_value: 'invalid_choice',
  too_small: 'required',
  too_big: 'too_long',
  unrecognized_keys: 'unexpected_field',
};
