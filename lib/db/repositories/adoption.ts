import type { TActorKind, TDelegationStatus } from '../../shared/domain';
import type { Queryable } from '../driver';

/** When a document was adopted and the hash of the text adopted (both null until then). */
export interface TAdoption {
  adoptedAt: number | null;
  adoptedTextHash: string | null;
}

/** Records that a document is adopted: its mode, the moment and the hash of the adopted text. */
export async function markDocumentAdopted(q: Queryable, documentId: string, at: number, textHash: string): Promise<void> {
  await q.run(`UPDATE documents SET drafting_mode = 'adopted', adopted_at = ?, adopted_text_hash = ? WHERE id = ?`, [at, textHash, documentId]);
}

/** A document's adoption record, if the document exists. */
export async function findAdoption(q: Queryable, documentId: string): Promise<TAdoption | undefined> {
  const row = await q.get<{ adoptedAt: number | string | null; adoptedTextHash: string | null }>(
    'SELECT adopted_at AS "adoptedAt", adopted_text_hash AS "adoptedTextHash" FROM documents WHERE id = ?',
    [documentId],
  );
  return row && { adoptedAt: row.adoptedAt === null ? null : Number(row.adoptedAt), adoptedTextHash: row.adoptedTextHash };
}

export interface TNewSignature {
  documentId: string;
  delegationId: string;
  userId: string;
  textHash: string;
  signedAt: number;
}

/** Stores a signature; false when the delegation has already signed (nothing is written then). */
export async function insertSignature(q: Queryable, signature: TNewSignature): Promise<boolean> {
  const { changes } = await q.run(
    `INSERT INTO document_signatures (document_id, delegation_id, user_id, text_hash, signed_at)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id, delegation_id) DO NOTHING`,
    [signature.documentId, signature.delegationId, signature.userId, signature.textHash, signature.signedAt],
  );
  return changes > 0;
}

/** One signature as pages show it: the delegation (the signing principal) and the person who signed. */
export interface TSignature {
  delegationId: string;
  delegationName: string;
  actorKind: TActorKind;
  actorCountry: string;
  userId: string;
  signerName: string;
  textHash: string;
  signedAt: number;
}

/** The signatures of a document, in the order they were given. */
export async function listSignatures(q: Queryable, documentId: string): Promise<TSignature[]> {
  const rows = await q.all<Omit<TSignature, 'signedAt'> & { signedAt: number | string }>(
    `SELECT s.delegation_id AS "delegationId", a.name AS "delegationName", a.kind AS "actorKind",
       a.country AS "actorCountry", s.user_id AS "userId", u.name AS "signerName",
       s.text_hash AS "textHash", s.signed_at AS "signedAt"
     FROM document_signatures s
     JOIN delegations d ON d.id = s.delegation_id
     JOIN actors a ON a.id = d.actor_id
     JOIN users u ON u.id = s.user_id
     WHERE s.document_id = ?
     ORDER BY s.signed_at, a.name`,
    [documentId],
  );
  return rows.map((row) => ({ ...row, signedAt: Number(row.signedAt) }));
}

/** A delegation entitled to sign (a member delegation) of a negotiation. */
export interface TSigningDelegation {
  id: string;
  name: string;
  actorKind: TActorKind;
  actorCountry: string;
  status: TDelegationStatus;
}

/** The member delegations of a negotiation, by name: those entitled to sign its documents. */
export function listMemberDelegations(q: Queryable, negotiationId: string): Promise<TSigningDelegation[]> {
  return q.all<TSigningDelegation>(
    `SELECT d.id, a.name, a.kind AS "actorKind", a.country AS "actorCountry", d.status
     FROM delegations d JOIN actors a ON a.id = d.actor_id
     WHERE d.negotiation_id = ? AND d.status = 'member'
     ORDER BY a.name, d.id`,
    [negotiationId],
  );
}
