/**
 * Video's storage on every backend (docs/PROTOCOL.md V2, V10, V13–V16): a signed webhook is recorded
 * once whatever the retries ([T31]), a forged one stores nothing, and a participant the chair
 * removed gets no ticket while the others do.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { WebhookReceiver } from 'livekit-server-sdk';
import type { Database } from '../../lib/db';
import { insertSession, listSessionEvents } from '../../lib/db/repositories/sessions';
import { readEnv } from '../../lib/env';
import { recordSessionEvent } from '../../lib/server/sessions/record-event';
import { admitToMedia } from '../../lib/server/video/admit-to-media';
import { mediaTransportFor } from '../../lib/server/video/media-transport';
import { recordMediaWebhook } from '../../lib/server/video/record-media-webhook';
import { testBackends } from '../helpers/databases';
import { buildDelegation, buildMembership, buildNegotiation, buildUser } from '../helpers/factories';
import { LIVEKIT_KEY, LIVEKIT_SECRET, signedWebhook } from '../helpers/fake-livekit';
import { rejectsWithCode, useDatabase } from './support';

async function buildSession(db: Database) {
  const secretariat = await buildUser(db);
  const negotiation = await buildNegotiation(db, secretariat);
  const sessionId = randomUUID();
  await insertSession(db, { id: sessionId, negotiationId: negotiation.id, title: 'Plenary', scheduledStart: Date.now() + 60_000, status: 'scheduled', createdAt: Date.now() });
  return { secretariat, negotiation, sessionId };
}

for (const backend of testBackends()) {
  describe(`${backend.name}: video`, () => {
    const database = useDatabase(backend);
    const receiver = new WebhookReceiver(LIVEKIT_KEY, LIVEKIT_SECRET);

    test('[V13][V15][T31] a webhook is recorded once, concurrent redeliveries included; a forged one stores nothing', async () => {
      const { db } = database;
      const { sessionId, secretariat } = await buildSession(db);
      const signed = await signedWebhook({ id: `EV_${randomUUID()}`, event: 'participant_joined', room: { name: sessionId }, participant: { sid: 'PA_1', identity: secretariat.id } });
      const outcomes = await Promise.all([1, 2, 3, 4].map(() => recordMediaWebhook(db, receiver, signed.body, signed.authorization)));
      assert.deepEqual(outcomes.sort(), ['duplicate', 'duplicate', 'duplicate', 'recorded']);
      await rejectsWithCode(recordMediaWebhook(db, receiver, signed.body.replace('PA_1', 'PA_2'), signed.authorization), 'unauthenticated');
      const events = (await listSessionEvents(db, sessionId)).filter((event) => event.type.startsWith('video.'));
      assert.deepEqual(events.map((event) => [event.type, event.payload, event.userId]), [['video.participant_joined', { userId: secretariat.id, participantSid: 'PA_1' }, null]]);
    });

    test('[V2][V10] a removed participant gets no ticket; to an outsider the session does not exist; others get theirs', async () => {
      const { db } = database;
      const { sessionId, negotiation, secretariat } = await buildSession(db);
      const delegation = await buildDelegation(db, negotiation.id);
      const delegate = await buildUser(db);
      await buildMembership(db, negotiation.id, delegate, 'delegate', delegation.delegationId);
      const transport = await mediaTransportFor(readEnv({ LIVEKIT_URL: 'ws://127.0.0.1:1', LIVEKIT_API_KEY: LIVEKIT_KEY, LIVEKIT_API_SECRET: LIVEKIT_SECRET }), db);
      assert.equal((await admitToMedia(db, transport, delegate, sessionId, {})).transport, 'livekit');
      await db.transaction((tx) => recordSessionEvent(tx, sessionId, { user: secretariat, membership: undefined }, 'video.participant_removed', { userId: delegate.id }, Date.now()));
      await rejectsWithCode(admitToMedia(db, transport, delegate, sessionId, {}), 'forbidden');
      await rejectsWithCode(admitToMedia(db, transport, await buildUser(db), sessionId, {}), 'not_found');
      await rejectsWithCode(admitToMedia(db, transport, secretariat, randomUUID(), {}), 'not_found');
      assert.equal((await admitToMedia(db, transport, secretariat, sessionId, { language: 'fr' })).transport, 'livekit');
    });
  });
}
