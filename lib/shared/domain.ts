import { z } from 'zod';

/** Roles a person can hold in one negotiation (BRIEF: "roles are per negotiation"). */
export const ROLES = [
  'secretariat',
  'chair',
  'head',
  'delegate',
  'adviser',
  'observer',
  'interpreter',
] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

/** Roles that sit in a delegation; the others serve the whole negotiation. */
export const DELEGATION_ROLES = ['head', 'delegate', 'adviser', 'observer'] as const satisfies readonly TRole[];
export const NEGOTIATION_ROLES = ['secretariat', 'chair', 'interpreter', 'observer'] as const satisfies readonly TRole[];

/** Whether a role may (or must) be tied to a delegation. */
export function roleNeedsDelegation(role: TRole): boolean {
  return role === 'head' || role === 'delegate' || role === 'adviser';
}

export const ACTOR_KINDS = [
  'city',
  'region',
  'national_government',
  'international_organization',
  'business',
  'ngo',
  'academic',
] as const;
export const ZActorKind = z.enum(ACTOR_KINDS);
export type TActorKind = z.infer<typeof ZActorKind>;

export const ZDelegationStatus = z.enum(['member', 'observer']);
export type TDelegationStatus = z.infer<typeof ZDelegationStatus>;

export const ZNegotiationFormat = z.enum(['multilateral', 'bilateral']);
export type TNegotiationFormat = z.infer<typeof ZNegotiationFormat>;

export const SESSION_STATUSES = ['scheduled', 'live', 'suspended', 'closed', 'cancelled'] as const;
export const ZSessionStatus = z.enum(SESSION_STATUSES);
export type TSessionStatus = z.infer<typeof ZSessionStatus>;

/** The chair's actions on a session's lifecycle. */
export type TSessionAction = 'open' | 'cancel' | 'suspend' | 'resume' | 'close';

/**
 * Which lifecycle moves are allowed (BRIEF: scheduled → live → suspended → closed), each with the
 * name of the chair's action that makes it. A session that never took place is cancelled, not
 * closed (S85): it has no record of a meeting, and nothing leaves either end state.
 */
export const SESSION_TRANSITIONS = {
  scheduled: { live: 'open', cancelled: 'cancel' },
  live: { suspended: 'suspend', closed: 'close' },
  suspended: { live: 'resume', closed: 'close' },
  closed: {},
  cancelled: {},
} as const satisfies Record<TSessionStatus, Partial<Record<TSessionStatus, TSessionAction>>>;

/** Whether a session is over (closed after meeting, or cancelled before): nothing changes it any more. */
export function sessionIsOver(status: TSessionStatus): boolean {
  return status === 'closed' || status === 'cancelled';
}

/** The moves allowed from a status, with their action names. */
export function sessionTransitionsFrom(status: TSessionStatus) {
  return Object.entries(SESSION_TRANSITIONS[status]) as [TSessionStatus, TSessionAction][];
}

/**
 * Kinds of floor request (BRIEF: floor). A point of order goes before every other kind; the others
 * wait in the order the chair keeps.
 */
export const FLOOR_KINDS = ['regular', 'point_of_order', 'right_of_reply', 'question'] as const;
export const ZFloorKind = z.enum(FLOOR_KINDS);
export type TFloorKind = z.infer<typeof ZFloorKind>;

/**
 * How many member delegations must be present for a quorum: none, more than half, at least two
 * thirds, or all of them. A negotiation starts with a simple majority.
 */
export const QUORUM_RULES = ['none', 'majority', 'two_thirds', 'all'] as const;
export const ZQuorumRule = z.enum(QUORUM_RULES);
export type TQuorumRule = z.infer<typeof ZQuorumRule>;
export const DEFAULT_QUORUM_RULE: TQuorumRule = 'majority';

export type TLanguage = (typeof LANGUAGES)[number];

export const ZDocumentKind = z.enum(['declaration', 'agreement', 'memorandum']);
export type TDocumentKind = z.infer<typeof ZDocumentKind>;

export const ZAccountRole = z.enum(['organizer', 'member']);
export type TAccountRole = z.infer<typeof ZAccountRole>;

/** The six UN languages, offered as negotiation languages. */
export const LANGUAGES = ['en', 'fr', 'es', 'ru', 'zh', 'ar'] as const;
export const ZLanguage = z.enum(LANGUAGES);
