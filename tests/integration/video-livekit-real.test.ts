/**
 * Against a real LiveKit server (docs/OPERATIONS.md, "Tests"): runs only when LIVEKIT_URL,
 * LIVEKIT_API_KEY and LIVEKIT_API_SECRET are set, e.g. for `livekit-server --dev`. A Chromium page
 * (Debian's, with fake media devices) joins with the token our server issued through livekit-client;
 * LiveKit's own RoomService then shows the floor opening and closing the delegate's microphone, and
 * (with LIVEKIT_EGRESS=1, when an egress service is attached) the chair records the room.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, test } from 'node:test';
import { chromium, type Browser } from '@playwright/test';
import { RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import { demoEmail, userIdOf } from '../helpers/demo-data';
import { requestMediaToken } from '../helpers/fake-livekit';
import { eventually } from '../helpers/http';
import { accepted, scheduleMetropolisSession, useRoomSuite } from '../helpers/session-room';

const { LIVEKIT_URL: url = '', LIVEKIT_API_KEY: apiKey = '', LIVEKIT_API_SECRET: apiSecret = '' } = process.env;
const configured = Boolean(url && apiKey && apiSecret);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// The package exports only its modules; its browser bundle (global `LivekitClient`) sits beside them.
const LIVEKIT_CLIENT_BUNDLE = path.join(path.dirname(createRequire(import.meta.url).resolve('livekit-client')), 'livekit-client.umd.js');

describe('video against a real LiveKit server', { skip: configured ? false : 'LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set: no real LiveKit server to test against' }, () => {
  const suite = useRoomSuite(['chair', 'delegate.montreal'] as const, () => ({ LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret }));
  const rooms = new RoomServiceClient(url, apiKey, apiSecret);

  /** A page in Chromium that joined the session's media room with the ticket our server issued. */
  async function joinInBrowser(browser: Browser, ticket: { url: string; token: string }) {
    const page = await browser.newPage();
    await page.goto('about:blank');
    await page.addScriptTag({ path: LIVEKIT_CLIENT_BUNDLE });
    await page.evaluate(async ({ url: serverUrl, token }) => {
      const { Room } = (window as unknown as { LivekitClient: typeof import('livekit-client') }).LivekitClient;
      const room = new Room();
      await room.connect(serverUrl, token);
      (window as unknown as { room: InstanceType<typeof Room> }).room = room;
    }, ticket);
    return page;
  }

  test('[V2][V4][V8] token → join with livekit-client; the floor opens the delegate’s microphone in LiveKit and the end of the speech closes it', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
    try {
      const sessionId = await scheduleMetropolisSession(suite.server, `Real LiveKit ${randomUUID().slice(0, 8)}`);
      const chair = await suite.join('chair', sessionId);
      await accepted(chair.connection.send('session.set_status', { status: 'live' }));
      const response = await requestMediaToken(suite.server, suite.cookies['delegate.montreal'], sessionId);
      assert.equal(response.status, 200);
      const page = await joinInBrowser(browser, (await response.json()) as { url: string; token: string });
      const delegate = userIdOf(suite.server, demoEmail('delegate.montreal'));
      const sources = async () => (await rooms.getParticipant(sessionId, delegate)).permission?.canPublishSources ?? [];
      assert.equal((await sources()).includes(TrackSource.MICROPHONE), false);

      const montreal = chair.view().directory.delegations.find((delegation) => delegation.name === 'Montréal')?.delegationId ?? '';
      const { speechId = '' } = await accepted(chair.connection.send('floor.grant', { delegationId: montreal }));
      await eventually(async () => (await sources()).includes(TrackSource.MICROPHONE));
      // The browser may now publish its microphone.
      await page.evaluate(async () => {
        await (window as unknown as { room: { localParticipant: { setMicrophoneEnabled(on: boolean): Promise<unknown> } } }).room.localParticipant.setMicrophoneEnabled(true);
      });
      await accepted(chair.connection.send('speech.end', { speechId }));
      await eventually(async () => !(await sources()).includes(TrackSource.MICROPHONE));
    } finally {
      await browser.close();
    }
  });

  test('[V18][V19][V20] the chair records the room through LiveKit’s egress and stops it', { skip: process.env.LIVEKIT_EGRESS === '1' ? false : 'LIVEKIT_EGRESS=1 is not set: `livekit-server --dev` alone has no egress service' }, async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
    try {
      const sessionId = await scheduleMetropolisSession(suite.server, `Real recording ${randomUUID().slice(0, 8)}`);
      const chair = await suite.join('chair', sessionId);
      await accepted(chair.connection.send('session.set_status', { status: 'live' }));
      // A room composite needs a room with someone in it.
      const response = await requestMediaToken(suite.server, suite.cookies.chair, sessionId);
      await joinInBrowser(browser, (await response.json()) as { url: string; token: string });
      await accepted(chair.connection.send('video.start_recording', {}));
      await eventually(() => chair.view().state.video.recording?.status === 'on', { timeoutMs: 30_000 });
      await accepted(chair.connection.send('video.stop_recording', {}));
      await eventually(() => chair.view().state.video.recordings.at(-1)?.stoppedAt !== null);
    } finally {
      await browser.close();
    }
  });
});
