/**
 * The one policy module. Pure: no I/O, no clock. Every entry point (pages, route handlers, server
 * actions, socket events) asks `can` before acting; the UI only uses it to hide what would be refused.
 */
import type { TAccountRole, TDelegationStatus, TRole } from '../shared/domain';

export const NEGOTIATION_ACTIONS = [
  'negotiation.view',
  'negotiation.edit',
  'delegation.accredit',
  'member.invite',
  'member.changeRole',
  'session.schedule',
  'session.control',
  'session.attend',
  'session.viewRecord',
  'document.create',
  'document.view',
  'document.edit',
  'document.setMode',
  'paragraph.setStatus',
  'amendment.propose',
  'amendment.decide',
  'document.sign',
  'document.comment',
  'bracket.open',
  'bracket.resolve',
  'agenda.manage',
  'floor.manage',
  'floor.request',
  'floor.designate',
  'decision.manage',
  'decision.vote',
  'decision.designate',
  'chat.plenary',
  'chat.delegation',
  'chat.moderate',
  'consultation.manage',
  'position.record',
  'positions.configure',
  'workspace.write',
  'video.moderate',
  'interpretation.handover',
  'side_room.manage',
  'minutes.read',
  'minutes.edit',
  'minutes.publish',
] as const;
export type TNegotiationAction = (typeof NEGOTIATION_ACTIONS)[number];

export const PLATFORM_ACTIONS = ['negotiation.create'] as const;
export type TPlatformAction = (typeof PLATFORM_ACTIONS)[number];

export type TAction = TNegotiationAction | TPlatformAction;

/** What the secretariat and the chair share: they run the negotiation. */
const RUNS_THE_NEGOTIATION = [
  'negotiation.view',
  'session.attend',
  'session.viewRecord',
  'document.view',
  'document.comment',
  'session.control',
  'agenda.manage',
  'floor.manage',
  'floor.designate',
  'decision.manage',
  'chat.plenary',
  'chat.moderate',
  'positions.configure',
  'video.moderate',
  'interpretation.handover',
  'side_room.manage',
  'minutes.read',
  // The chair and the secretariat see the minutes' draft and edit it; only the secretariat publishes.
  'minutes.edit',
] as const satisfies readonly TNegotiationAction[];

const PARTICIPATES = [
  'negotiation.view',
  'session.attend',
  'session.viewRecord',
  'document.view',
  'document.comment',
  'minutes.read',
] as const satisfies readonly TNegotiationAction[];

/** What heads and delegates do for their delegation. */
const SPEAKS_FOR_DELEGATION = [
  'document.edit',
  'amendment.propose',
  'bracket.open',
  'floor.request',
  'decision.vote',
  'chat.plenary',
  'chat.delegation',
  'position.record',
  'workspace.write',
] as const satisfies readonly TNegotiationAction[];

/**
 * Role permissions as data. `satisfies Record<TRole, …>` makes the build fail when a role is added
 * to the domain without deciding what it may do.
 */
export const ROLE_PERMISSIONS = {
  secretariat: [
    ...RUNS_THE_NEGOTIATION,
    'negotiation.edit',
    'delegation.accredit',
    'member.invite',
    'member.changeRole',
    'session.schedule',
    'document.create',
    'document.edit',
    'document.setMode',
    'paragraph.setStatus',
    'amendment.decide',
    'bracket.open',
    'bracket.resolve',
    'minutes.publish',
  ],
  chair: [...RUNS_THE_NEGOTIATION, 'session.schedule', 'document.setMode', 'paragraph.setStatus', 'amendment.decide', 'bracket.open', 'bracket.resolve'],
  // The head signs an adopted text on behalf of the delegation, the signing principal, and speaks
  // for it towards other delegations (consultations, sharing the workspace). A delegation votes
  // through its head, or through the delegate the head designated (the room checks the designation
  // and that the delegation is a member, S35–S36).
  head: [...PARTICIPATES, ...SPEAKS_FOR_DELEGATION, 'document.sign', 'consultation.manage', 'decision.designate', 'floor.designate'],
  delegate: [...PARTICIPATES, ...SPEAKS_FOR_DELEGATION],
  // Advisers support their delegation — its channel and notes — with no floor, no vote and no plenary voice (BRIEF).
  adviser: [...PARTICIPATES, 'chat.delegation', 'workspace.write'],
  // Observers may be given the floor; whether they may ask for it, or write in the plenary, is the
  // chair's setting for the session, checked by the room with the session's state. An observer
  // delegation (a national government, say) has no head: its observers speak for it in consultations.
  observer: [...PARTICIPATES, 'floor.request', 'chat.plenary', 'chat.delegation', 'consultation.manage', 'workspace.write'],
  // An interpreter in the booth hands the live channel to the colleague who takes over (V21).
  interpreter: ['negotiation.view', 'session.attend', 'document.view', 'interpretation.handover', 'minutes.read'],
} as const satisfies Record<TRole, readonly TNegotiationAction[]>;

const ACCOUNT_PERMISSIONS = {
  organizer: ['negotiation.create'],
  member: [],
} as const satisfies Record<TAccountRole, readonly TPlatformAction[]>;

export interface TMembershipClaim {
  negotiationId: string;
  role: TRole;
  delegationId: string | null;
  delegationStatus: TDelegationStatus | null;
}

/** Who is asking: always built on the server from the session and the database, never from input. */
export interface TActor {
  userId: string;
  accountRole: TAccountRole;
  /** The actor's membership in the negotiation the resource belongs to, if any. */
  membership: TMembershipClaim | null;
}

export type TResource = { kind: 'platform' } | { kind: 'negotiation'; negotiationId: string };

export type TRefusal =
  | 'signed_out'
  | 'not_a_member'
  | 'role_not_permitted'
  | 'observer_delegation'
  | 'account_not_permitted';

/** Actions a head or delegate may take only for a member delegation (observers follow; they do not sign). */
export const MEMBER_DELEGATION_ACTIONS = ['document.edit', 'amendment.propose', 'document.sign', 'bracket.open', 'position.record'] as const satisfies readonly TNegotiationAction[];

export type TDecision = { allowed: true } | { allowed: false; reason: TRefusal };

const ALLOWED: TDecision = { allowed: true };
const refuse = (reason: TRefusal): TDecision => ({ allowed: false, reason });

function isPlatformAction(action: TAction): action is TPlatformAction {
  return (PLATFORM_ACTIONS as readonly string[]).includes(action);
}

/** Why `actor` may or may not perform `action` on `resource`. */
export function explain(actor: TActor | null, action: TAction, resource: TResource): TDecision {
  if (!actor) return refuse('signed_out');

  if (isPlatformAction(action)) {
    const permitted: readonly TPlatformAction[] = ACCOUNT_PERMISSIONS[actor.accountRole];
    return permitted.includes(action) ? ALLOWED : refuse('account_not_permitted');
  }

  if (resource.kind !== 'negotiation') return refuse('role_not_permitted');
  const membership = actor.membership;
  if (!membership || membership.negotiationId !== resource.negotiationId) {
    return refuse('not_a_member');
  }
  const permitted: readonly TNegotiationAction[] = ROLE_PERMISSIONS[membership.role];
  if (!permitted.includes(action)) return refuse('role_not_permitted');

  // Only member delegations draft and propose; an observer delegation's head follows the text.
  if (
    (MEMBER_DELEGATION_ACTIONS as readonly TNegotiationAction[]).includes(action) &&
    (membership.role === 'head' || membership.role === 'delegate') &&
    membership.delegationStatus !== 'member'
  ) {
    return refuse('observer_delegation');
  }
  return ALLOWED;
}

/** Whether `actor` may perform `action` on `resource`. */
export function can(actor: TActor | null, action: TAction, resource: TResource): boolean {
  return explain(actor, action, resource).allowed;
}

/** Everything `actor` may do in one negotiation, for pages to decide what to show. */
export function abilitiesIn(
  actor: TActor | null,
  negotiationId: string,
): Record<TNegotiationAction, boolean> {
  const resource: TResource = { kind: 'negotiation', negotiationId };
  return Object.fromEntries(
    NEGOTIATION_ACTIONS.map((action) => [action, can(actor, action, resource)]),
  ) as Record<TNegotiationAction, boolean>;
}
