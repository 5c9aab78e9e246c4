import { randomUUID } from 'node:crypto';
import type { Database } from '../../db';
import { insertDocument, type TDocumentRecord } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { ZCreateDocument } from '../../shared/schemas';
import { parseInput } from '../parse-input';
import { authorizeInNegotiation } from './authorize-in-negotiation';

/** Creates a document with its base text (stored once, on the server). */
export async function createDocument(
  db: Database,
  user: TUser,
  negotiationId: unknown,
  input: unknown,
): Promise<TDocumentRecord> {
  return db.transaction(async (tx) => {
    const access = await authorizeInNegotiation(tx, user, negotiationId, 'document.create');
    const fields = parseInput(ZCreateDocument, input);
    const document: TDocumentRecord = {
      id: randomUUID(),
      negotiationId: access.negotiation.id,
      ...fields,
      createdBy: user.id,
      createdAt: Date.now(),
    };
    await insertDocument(tx, document);
    return document;
  });
}
