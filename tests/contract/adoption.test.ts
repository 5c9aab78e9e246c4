/**
 * Adoption and signing on every backend: adopting fixes the stored text and its hash (seeding the
 * base text of a document nobody opened), the database then refuses any further update to the
 * text and any change to a signature, and signDocument enforces one signature per member
 * delegation, by its head, over the adopted hash — logged in open sessions.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../lib/db';
import { findAdoption, listSignatures } from '../../lib/db/repositories/adoption';
import { appendDocumentUpdates, findLiveDocument } from '../../lib/db/repositories/documents';
import type { TUser } from '../../lib/db/repositories/people';
import { insertSession, listSessionEvents } from '../../lib/db/repositories/sessions';
import { baseTextToUpdate } from '../../lib/documents/base-text';
import { readStoredDocument } from '../../lib/server/documents/read-document';
import { setDraftingMode } from '../../lib/server/documents/set-drafting-mode';
import { signDocument } from '../../lib/server/documents/sign-document';
import { createDocument } from '../../lib/server/negotiations/create-document';
import { documentPlainText } from '../../lib/documents/base-text';
import { testBackends } from '../helpers/databases';
import { buildDelegation, buildMembership, buildNegotiation, buildUser } from '../helpers/factories';
import { rejectsWithCode, useDatabase } from './support';

const BASE_TEXT = 'Charter on Water\nRecognizing that water is shared,\n1. Agree to share data.\n2. Resolve to meet again.';

interface TWorld {
  secretariat: TUser;
  negotiationId: string;
  documentId: string;
  delegationId: string;
  head: TUser;
}

async function world(db: Database): Promise<TWorld> {
  const secretariat = await buildUser(db, { accountRole: 'organizer' });
  const negotiation = await buildNegotiation(db, secretariat);
  const document = await createDocument(db, secretariat, negotiation.id, { title: 'Charter', kind: 'declaration', baseText: BASE_TEXT });
  const { delegationId } = await buildDelegation(db, negotiation.id);
  const head = await buildUser(db);
  await buildMembership(db, negotiation.id, head, 'head', delegationId);
  return { secretariat, negotiationId: negotiation.id, documentId: document.id, delegationId, head };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

for (const backend of testBackends()) {
  describe(`${backend.name}: adoption`, () => {
    const ctx = useDatabase(backend);

    test('adopting a document nobody opened seeds its base text and records the hash of that text', async () => {
      const w = await world(ctx.db);
      const before = Date.now();
      await setDraftingMode(ctx.db, w.secretariat, { documentId: w.documentId, mode: 'adopted' });
      const adoption = await findAdoption(ctx.db, w.documentId);
      const doc = await readStoredDocument(ctx.db, w.documentId);
      const text = documentPlainText(doc);
      doc.destroy();
      assert.equal(text, 'Charter on Water\nRecognizing that water is shared,\nAgree to share data.\nResolve to meet again.');
      assert.equal(adoption?.adoptedTextHash, sha256(text));
      assert.ok((adoption?.adoptedAt ?? 0) >= before);
      assert.equal((await findLiveDocument(ctx.db, w.documentId))?.draftingMode, 'adopted');
    });

    test('once adopted, the database refuses any update to the text; the adoption is not repeated', async () => {
      const w = await world(ctx.db);
      await setDraftingMode(ctx.db, w.secretariat, { documentId: w.documentId, mode: 'adopted' });
      const first = await findAdoption(ctx.db, w.documentId);
      const late = { at: Date.now(), userId: w.head.id, delegationId: w.delegationId, sessionId: null, bytes: baseTextToUpdate('late edit').update };
      await assert.rejects(ctx.db.transaction((tx) => appendDocumentUpdates(tx, w.documentId, [late])));
      await rejectsWithCode(setDraftingMode(ctx.db, w.secretariat, { documentId: w.documentId, mode: 'open_drafting' }), 'invalid_transition');
      await setDraftingMode(ctx.db, w.secretariat, { documentId: w.documentId, mode: 'adopted' });
      assert.deepEqual(await findAdoption(ctx.db, w.documentId), first);
    });

    test('a head signs once for the delegation, over the adopted hash; the open session logs it', async () => {
      const w = await world(ctx.db);
      const sessionId = randomUUID();
      await insertSession(ctx.db, { id: sessionId, negotiationId: w.negotiationId, title: 'Plenary', scheduledStart: Date.now(), status: 'live', createdAt: Date.now() });
      await rejectsWithCode(signDocument(ctx.db, w.head, { documentId: w.documentId }), 'not_adopted');
      await setDraftingMode(ctx.db, w.secretariat, { documentId: w.documentId, mode: 'adopted' });
      const hash = (await findAdoption(ctx.db, w.documentId))?.adoptedTextHash;
      const signature = await signDocument(ctx.db, w.head, { documentId: w.documentId });
      assert.equal(signature.textHash, hash);
      assert.equal(signature.delegationId, w.delegationId);

      // A second head of the same delegation: already signed, nothing stored.
      const secondHead = await buildUser(ctx.db);
      await buildMembership(ctx.db, w.negotiationId, secondHead, 'head', w.delegationId);
      await rejectsWithCode(signDocument(ctx.db, secondHead, { documentId: w.documentId }), 'already_signed');
      await rejectsWithCode(signDocument(ctx.db, w.head, { documentId: w.documentId }), 'already_signed');
      const signatures = await listSignatures(ctx.db, w.documentId);
      assert.deepEqual(signatures.map((s) => [s.delegationId, s.userId, s.textHash]), [[w.delegationId, w.head.id, hash]]);

      const events = await listSessionEvents(ctx.db, sessionId);
      const types = events.map((event) => event.type);
      assert.deepEqual(types.slice(-3), ['document.mode_changed', 'document.adopted', 'document.signed']);
      assert.deepEqual(events.at(-1)?.payload, { documentId: w.documentId, delegationId: w.delegationId, textHash: hash });
      assert.equal(events.at(-1)?.userId, w.head.id);
    });

    test('delegates, observer delegations’ heads and the secretariat may not sign; unknown documents are not_found', async () => {
      const w = await world(ctx.db);
      await setDraftingMode(ctx.db, w.secretariat, { documentId: w.documentId, mode: 'adopted' });
      const delegate = await buildUser(ctx.db);
      await buildMembership(ctx.db, w.negotiationId, delegate, 'delegate', w.delegationId);
      const observerDelegation = await buildDelegation(ctx.db, w.negotiationId, { status: 'observer' });
      const observerHead = await buildUser(ctx.db);
      await buildMembership(ctx.db, w.negotiationId, observerHead, 'head', observerDelegation.delegationId);
      const outsider = await buildUser(ctx.db);
      for (const user of [delegate, observerHead, w.secretariat]) await rejectsWithCode(signDocument(ctx.db, user, { documentId: w.documentId }), 'forbidden');
      await rejectsWithCode(signDocument(ctx.db, outsider, { documentId: w.documentId }), 'not_found');
      await rejectsWithCode(signDocument(ctx.db, w.head, { documentId: randomUUID() }), 'not_found');
      await rejectsWithCode(signDocument(ctx.db, w.head, { documentId: 'x' }), 'invalid_input');
      await rejectsWithCode(signDocument(ctx.db, w.head, { documentId: w.documentId, delegationId: observerDelegation.delegationId }), 'invalid_input');
      assert.deepEqual(await listSignatures(ctx.db, w.documentId), []);
    });

    test('signatures are a record: the database refuses to change or remove one', async () => {
      const w = await world(ctx.db);
      await setDraftingMode(ctx.db, w.secretariat, { documentId: w.documentId, mode: 'adopted' });
      await signDocument(ctx.db, w.head, { documentId: w.documentId });
      await assert.rejects(ctx.db.run('UPDATE document_signatures SET text_hash = ? WHERE document_id = ?', ['0'.repeat(64), w.documentId]));
      await assert.rejects(ctx.db.run('DELETE FROM document_signatures WHERE document_id = ?', [w.documentId]));
      assert.equal((await listSignatures(ctx.db, w.documentId)).length, 1);
    });
  });
}
