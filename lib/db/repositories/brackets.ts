import type { Queryable } from '../driver';

export interface TBracketAlternative {
  id: string;
  delegationId: string;
  delegationName: string;
  text: string;
}

export interface TBracket {
  id: string;
  documentId: string;
  pid: string;
  anchorStart: string;
  anchorEnd: string;
  originalText: string;
  createdAt: number;
  resolvedAt: number | null;
  /** The alternative adopted ('original' for the bracketed wording), once resolved. */
  chosenAlternative: string | null;
  alternatives: TBracketAlternative[];
}

/** Stores a new bracket around a range of text. */
export async function insertBracket(
  q: Queryable,
  bracket: Pick<TBracket, 'id' | 'documentId' | 'pid' | 'anchorStart' | 'anchorEnd' | 'originalText' | 'createdAt'> & { openedBy: string },
): Promise<void> {
  await q.run(
    `INSERT INTO brackets (id, document_id, pid, anchor_start, anchor_end, original_text, opened_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [bracket.id, bracket.documentId, bracket.pid, bracket.anchorStart, bracket.anchorEnd, bracket.originalText, bracket.openedBy, bracket.createdAt],
  );
}

/** Adds a delegation's alternative wording; false when the delegation already has one. */
export async function insertAlternative(
  q: Queryable,
  alternative: { id: string; bracketId: string; delegationId: string; text: string; proposedBy: string; createdAt: number },
): Promise<boolean> {
  const { changes } = await q.run(
    `INSERT INTO bracket_alternatives (id, bracket_id, delegation_id, text, proposed_by, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [alternative.id, alternative.bracketId, alternative.delegationId, alternative.text, alternative.proposedBy, alternative.createdAt],
  );
  return changes === 1;
}

/** The brackets of a document with their alternatives, oldest first. */
export async function listBrackets(q: Queryable, documentId: string): Promise<TBracket[]> {
  const rows = await q.all<Omit<TBracket, 'alternatives'>>(
    `SELECT id, document_id AS "documentId", pid, anchor_start AS "anchorStart", anchor_end AS "anchorEnd", original_text AS "originalText",
       created_at AS "createdAt", resolved_at AS "resolvedAt", chosen_alternative AS "chosenAlternative"
     FROM brackets WHERE document_id = ? ORDER BY created_at, id`,
    [documentId],
  );
  const alternatives = await q.all<TBracketAlternative & { bracketId: string }>(
    `SELECT ba.id, ba.bracket_id AS "bracketId", ba.delegation_id AS "delegationId", a.name AS "delegationName", ba.text
     FROM bracket_alternatives ba JOIN brackets b ON b.id = ba.bracket_id
     JOIN delegations d ON d.id = ba.delegation_id JOIN actors a ON a.id = d.actor_id
     WHERE b.document_id = ? ORDER BY ba.created_at, ba.id`,
    [documentId],
  );
  return rows.map((row) => ({
    ...row,
    createdAt: Number(row.createdAt),
    resolvedAt: row.resolvedAt === null ? null : Number(row.resolvedAt),
    alternatives: alternatives.filter((alternative) => alternative.bracketId === row.id).map(({ bracketId: _bracket, ...rest }) => rest),
  }));
}

/** Marks an open bracket resolved with the chosen wording; false when it was already resolved. */
export async function resolveBracketRow(q: Queryable, bracketId: string, chosen: string, userId: string, at: number): Promise<boolean> {
  const { changes } = await q.run(
    'UPDATE brackets SET resolved_at = ?, resolved_by = ?, chosen_alternative = ? WHERE id = ? AND resolved_at IS NULL',
    [at, userId, chosen, bracketId],
  );
  return changes === 1;
}
