import type {
  TLanguage,
  TActorKind,
  TDelegationStatus,
  TDocumentKind,
  TNegotiationFormat,
  TQuorumRule,
  TRole,
} from '../../shared/domain';
import type { Queryable } from '../driver';
import type { TDraftingMode } from './documents';

export interface TNegotiation {
  id: string;
  title: string;
  format: TNegotiationFormat;
  host: string;
  languages: TLanguage[];
  description: string;
  /** How many member delegations must be present for a quorum. */
  quorumRule: TQuorumRule;
  createdBy: string;
  createdAt: number;
}

interface NegotiationRow extends Omit<TNegotiation, 'languages'> {
  languages: string;
}

const NEGOTIATION_COLUMNS = `n.id, n.title, n.format, n.host, n.languages, n.description,
  n.quorum_rule AS "quorumRule", n.created_by AS "createdBy", n.created_at AS "createdAt"`;

const toNegotiation = (row: NegotiationRow): TNegotiation => ({
  ...row,
  languages: JSON.parse(row.languages) as TLanguage[],
});

/** Stores a new negotiation. */
export async function insertNegotiation(q: Queryable, negotiation: TNegotiation): Promise<void> {
  await q.run(
    `INSERT INTO negotiations (id, title, format, host, languages, description, quorum_rule, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      negotiation.id,
      negotiation.title,
      negotiation.format,
      negotiation.host,
      JSON.stringify(negotiation.languages),
      negotiation.description,
      negotiation.quorumRule,
      negotiation.createdBy,
      negotiation.createdAt,
    ],
  );
}

/** Sets a negotiation's quorum rule. */
export async function updateQuorumRule(q: Queryable, negotiationId: string, rule: TQuorumRule): Promise<void> {
  await q.run('UPDATE negotiations SET quorum_rule = ? WHERE id = ?', [rule, negotiationId]);
}

/** The negotiation with this id, if any. */
export async function findNegotiationById(q: Queryable, id: string): Promise<TNegotiation | undefined> {
  const row = await q.get<NegotiationRow>(`SELECT ${NEGOTIATION_COLUMNS} FROM negotiations n WHERE n.id = ?`, [id]);
  return row && toNegotiation(row);
}

export interface TNegotiationForUser extends TNegotiation {
  role: TRole;
  delegationName: string | null;
  nextSessionStart: number | null;
}

/** The negotiations a user is a member of, with their role, soonest session first. */
export async function listNegotiationsForUser(q: Queryable, userId: string): Promise<TNegotiationForUser[]> {
  const rows = await q.all<NegotiationRow & { role: TRole; delegationName: string | null; nextSessionStart: number | null }>(
    `SELECT ${NEGOTIATION_COLUMNS}, m.role AS role, a.name AS "delegationName",
       (SELECT MIN(s.scheduled_start) FROM negotiation_sessions s
         WHERE s.negotiation_id = n.id AND s.status NOT IN ('closed', 'cancelled')) AS "nextSessionStart"
     FROM memberships m
     JOIN negotiations n ON n.id = m.negotiation_id
     LEFT JOIN delegations d ON d.id = m.delegation_id
     LEFT JOIN actors a ON a.id = d.actor_id
     WHERE m.user_id = ?
     ORDER BY n.created_at DESC`,
    [userId],
  );
  return rows.map((row) => ({
    ...toNegotiation(row),
    role: row.role,
    delegationName: row.delegationName,
    nextSessionStart: row.nextSessionStart === null ? null : Number(row.nextSessionStart),
  }));
}

export interface TDelegation {
  id: string;
  negotiationId: string;
  actorId: string;
  actorName: string;
  actorKind: TActorKind;
  actorCountry: string;
  status: TDelegationStatus;
  accreditedAt: number;
}

const DELEGATION_SELECT = `SELECT d.id, d.negotiation_id AS "negotiationId", d.actor_id AS "actorId",
  a.name AS "actorName", a.kind AS "actorKind", a.country AS "actorCountry", d.status,
  d.accredited_at AS "accreditedAt"
  FROM delegations d JOIN actors a ON a.id = d.actor_id`;

/** Accredits an actor's delegation to a negotiation. */
export async function insertDelegation(
  q: Queryable,
  delegation: Pick<TDelegation, 'id' | 'negotiationId' | 'actorId' | 'status' | 'accreditedAt'>,
): Promise<void> {
  await q.run(
    'INSERT INTO delegations (id, negotiation_id, actor_id, status, accredited_at) VALUES (?, ?, ?, ?, ?)',
    [delegation.id, delegation.negotiationId, delegation.actorId, delegation.status, delegation.accreditedAt],
  );
}

/** The delegations of a negotiation: members first, then by name. */
export function listDelegations(q: Queryable, negotiationId: string): Promise<TDelegation[]> {
  return q.all<TDelegation>(
    `${DELEGATION_SELECT} WHERE d.negotiation_id = ? ORDER BY d.status, a.name`,
    [negotiationId],
  );
}

/** A delegation, only if it belongs to the given negotiation. */
export function findDelegationInNegotiation(
  q: Queryable,
  negotiationId: string,
  delegationId: string,
): Promise<TDelegation | undefined> {
  return q.get<TDelegation>(`${DELEGATION_SELECT} WHERE d.negotiation_id = ? AND d.id = ?`, [
    negotiationId,
    delegationId,
  ]);
}

export interface TMembership {
  id: string;
  negotiationId: string;
  userId: string;
  userName: string;
  userEmail: string;
  delegationId: string | null;
  delegationStatus: TDelegationStatus | null;
  role: TRole;
  createdAt: number;
}

const MEMBERSHIP_SELECT = `SELECT m.id, m.negotiation_id AS "negotiationId", m.user_id AS "userId",
  u.name AS "userName", u.email AS "userEmail", m.delegation_id AS "delegationId",
  d.status AS "delegationStatus", m.role, m.created_at AS "createdAt"
  FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN delegations d ON d.id = m.delegation_id`;

/** Adds a person to a negotiation with a role (and, for delegation roles, a delegation). */
export async function insertMembership(
  q: Queryable,
  membership: Pick<TMembership, 'id' | 'negotiationId' | 'userId' | 'delegationId' | 'role' | 'createdAt'>,
): Promise<void> {
  await q.run(
    'INSERT INTO memberships (id, negotiation_id, user_id, delegation_id, role, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    [
      membership.id,
      membership.negotiationId,
      membership.userId,
      membership.delegationId,
      membership.role,
      membership.createdAt,
    ],
  );
}

/** A user's membership in a negotiation, if any. */
export function findMembership(
  q: Queryable,
  negotiationId: string,
  userId: string,
): Promise<TMembership | undefined> {
  return q.get<TMembership>(`${MEMBERSHIP_SELECT} WHERE m.negotiation_id = ? AND m.user_id = ?`, [
    negotiationId,
    userId,
  ]);
}

/** A membership by id, only if it belongs to the given negotiation. */
export function findMembershipInNegotiation(
  q: Queryable,
  negotiationId: string,
  membershipId: string,
): Promise<TMembership | undefined> {
  return q.get<TMembership>(`${MEMBERSHIP_SELECT} WHERE m.negotiation_id = ? AND m.id = ?`, [
    negotiationId,
    membershipId,
  ]);
}

/** Everyone in a negotiation. */
export function listMemberships(q: Queryable, negotiationId: string): Promise<TMembership[]> {
  return q.all<TMembership>(`${MEMBERSHIP_SELECT} WHERE m.negotiation_id = ? ORDER BY u.name`, [negotiationId]);
}

/** Every membership of one user, across negotiations. */
export function listMembershipsOfUser(q: Queryable, userId: string): Promise<TMembership[]> {
  return q.all<TMembership>(`${MEMBERSHIP_SELECT} WHERE m.user_id = ?`, [userId]);
}

/** Changes a member's role and delegation. */
export async function updateMembershipRole(
  q: Queryable,
  membershipId: string,
  role: TRole,
  delegationId: string | null,
): Promise<void> {
  await q.run('UPDATE memberships SET role = ?, delegation_id = ? WHERE id = ?', [role, delegationId, membershipId]);
}

export interface TDocumentRecord {
  id: string;
  negotiationId: string;
  title: string;
  kind: TDocumentKind;
  baseText: string;
  createdBy: string;
  createdAt: number;
}

/** Stores a new document with its base text. */
export async function insertDocument(q: Queryable, document: TDocumentRecord): Promise<void> {
  await q.run(
    `INSERT INTO documents (id, negotiation_id, title, kind, base_text, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      document.id,
      document.negotiationId,
      document.title,
      document.kind,
      document.baseText,
      document.createdBy,
      document.createdAt,
    ],
  );
}

/** The documents of a negotiation, oldest first. */
export function listDocuments(q: Queryable, negotiationId: string): Promise<(TDocumentRecord & { draftingMode: TDraftingMode })[]> {
  return q.all<TDocumentRecord & { draftingMode: TDraftingMode }>(
    `SELECT id, negotiation_id AS "negotiationId", title, kind, base_text AS "baseText",
       created_by AS "createdBy", created_at AS "createdAt", drafting_mode AS "draftingMode"
     FROM documents WHERE negotiation_id = ? ORDER BY created_at, title`,
    [negotiationId],
  );
}
