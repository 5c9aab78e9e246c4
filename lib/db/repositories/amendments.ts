import type { Queryable } from '../driver';

export const AMENDMENT_KINDS = ['replace', 'insert', 'delete'] as const;
export type TAmendmentKind = (typeof AMENDMENT_KINDS)[number];
export type TAmendmentStatus = 'proposed' | 'accepted' | 'rejected' | 'withdrawn';

export interface TAmendment {
  id: string;
  documentId: string;
  pid: string;
  kind: TAmendmentKind;
  originalText: string;
  proposedText: string;
  rationale: string;
  delegationId: string;
  delegationName: string;
  proposedBy: string;
  proposerName: string;
  status: TAmendmentStatus;
  createdAt: number;
  decidedAt: number | null;
  /** Delegations that joined, by name. */
  sponsors: { delegationId: string; delegationName: string }[];
}

const AMENDMENT_SELECT = `SELECT am.id, am.document_id AS "documentId", am.pid, am.kind, am.original_text AS "originalText",
  am.proposed_text AS "proposedText", am.rationale, am.delegation_id AS "delegationId", ac.name AS "delegationName",
  am.proposed_by AS "proposedBy", u.name AS "proposerName", am.status, am.created_at AS "createdAt", am.decided_at AS "decidedAt"
  FROM amendments am
  JOIN delegations d ON d.id = am.delegation_id JOIN actors ac ON ac.id = d.actor_id
  JOIN users u ON u.id = am.proposed_by`;

async function withSponsors(q: Queryable, rows: Omit<TAmendment, 'sponsors'>[]): Promise<TAmendment[]> {
  if (rows.length === 0) return [];
  const sponsors = await q.all<{ amendmentId: string; delegationId: string; delegationName: string }>(
    `SELECT s.amendment_id AS "amendmentId", s.delegation_id AS "delegationId", ac.name AS "delegationName"
     FROM amendment_sponsors s JOIN delegations d ON d.id = s.delegation_id JOIN actors ac ON ac.id = d.actor_id
     WHERE s.amendment_id IN (${rows.map(() => '?').join(', ')}) ORDER BY s.at`,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    ...row,
    createdAt: Number(row.createdAt),
    decidedAt: row.decidedAt === null ? null : Number(row.decidedAt),
    sponsors: sponsors.filter((sponsor) => sponsor.amendmentId === row.id).map(({ delegationId, delegationName }) => ({ delegationId, delegationName })),
  }));
}

/** Stores a proposed amendment. */
export async function insertAmendment(
  q: Queryable,
  amendment: Pick<TAmendment, 'id' | 'documentId' | 'pid' | 'kind' | 'originalText' | 'proposedText' | 'rationale' | 'delegationId' | 'proposedBy' | 'createdAt'>,
): Promise<void> {
  await q.run(
    `INSERT INTO amendments (id, document_id, pid, kind, original_text, proposed_text, rationale, delegation_id, proposed_by, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?)`,
    [amendment.id, amendment.documentId, amendment.pid, amendment.kind, amendment.originalText, amendment.proposedText, amendment.rationale, amendment.delegationId, amendment.proposedBy, amendment.createdAt],
  );
}

/** The amendments of a document, newest first. */
export async function listAmendments(q: Queryable, documentId: string): Promise<TAmendment[]> {
  return withSponsors(q, await q.all(`${AMENDMENT_SELECT} WHERE am.document_id = ? ORDER BY am.created_at DESC, am.id`, [documentId]));
}

/** One amendment, if it belongs to the document. */
export async function findAmendment(q: Queryable, documentId: string, amendmentId: string): Promise<TAmendment | undefined> {
  const rows = await withSponsors(q, await q.all(`${AMENDMENT_SELECT} WHERE am.document_id = ? AND am.id = ?`, [documentId, amendmentId]));
  return rows[0];
}

/** Adds a co-sponsoring delegation; false when it already sponsors. */
export async function insertSponsor(q: Queryable, amendmentId: string, delegationId: string, userId: string, at: number): Promise<boolean> {
  const { changes } = await q.run(
    'INSERT INTO amendment_sponsors (amendment_id, delegation_id, user_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    [amendmentId, delegationId, userId, at],
  );
  return changes === 1;
}

/** Moves a proposed amendment to a final status; false when it was no longer proposed (raced). */
export async function decideAmendment(q: Queryable, amendmentId: string, status: Exclude<TAmendmentStatus, 'proposed'>, userId: string, at: number): Promise<boolean> {
  const { changes } = await q.run(
    "UPDATE amendments SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'proposed'",
    [status, userId, at, amendmentId],
  );
  return changes === 1;
}
