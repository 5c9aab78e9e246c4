import type { Database } from '../../db';
import type { TUser } from '../../db/repositories/people';
import { delegationColor } from '../../shared/colors';
import { documentAccessFor } from './document-access';

export interface TAuthor {
  /** The delegation's name, or null for people outside delegations and for the server's base text. */
  delegation: string | null;
  color: string;
}

/**
 * Who wrote under each Yjs client id of a document, by delegation — from the record of client ids
 * the server keeps (never from data inside the document, T27). For the "colour by delegation" view;
 * the base text the server seeded is nobody's and stays uncoloured.
 */
export async function authorsOf(db: Database, user: TUser, documentId: unknown): Promise<Record<string, TAuthor>> {
  const { document } = await documentAccessFor(db, user, documentId);
  const delegations = await db.all<{ id: string; name: string }>(
    `SELECT d.id, a.name FROM delegations d JOIN actors a ON a.id = d.actor_id WHERE d.negotiation_id = ? ORDER BY d.accredited_at, d.id`,
    [document.negotiationId],
  );
  const position = new Map(delegations.map((delegation, index) => [delegation.id, { index, name: delegation.name }]));
  const clients = await db.all<{ clientId: number; delegationId: string | null }>(
    `SELECT dc.client_id AS "clientId", m.delegation_id AS "delegationId"
     FROM document_clients dc LEFT JOIN memberships m ON m.user_id = dc.user_id AND m.negotiation_id = ?
     WHERE dc.document_id = ? AND dc.user_id IS NOT NULL`,
    [document.negotiationId, document.id],
  );
  return Object.fromEntries(
    clients.map((client) => {
      const delegation = client.delegationId ? position.get(client.delegationId) : undefined;
      return [String(client.clientId), { delegation: delegation?.name ?? null, color: delegationColor(delegation?.index ?? null) }];
    }),
  );
}
