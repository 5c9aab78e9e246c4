/**
 * A real LiveKit server for a suite (scripts/livekit-server.mjs: built from the Go module proxy
 * once, started on free loopback ports, its webhooks posted to the suite's Proxenia), or the one
 * `LIVEKIT_URL`, `LIVEKIT_API_KEY` and `LIVEKIT_API_SECRET` name (whose webhooks then go wherever
 * it was configured to send them). Pages in Debian Chromium with fake devices join it through
 * livekit-client, with the tickets Proxenia issued, and measure what they hear per participant.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import type { Browser, Page } from '@playwright/test';
import { freePort, startLiveKitServer, DEV_API_KEY, DEV_API_SECRET, type TLiveKitServer } from '../../scripts/livekit-server.mjs';
import { launchWithFakeMedia } from '../e2e/fake-media';
import { useRoomSuite, type TRoomSuite } from './session-room';

/** The tone every page's fake microphone plays (Hz). */
const TONE = 440;
/** Loudness (RMS) above which a participant is heard: the tone is ~0.26, silence and comfort noise far below 0.01. */
export const HEARD = 0.02;

// The package exports only its modules; its browser bundle (global `LivekitClient`) sits beside them.
const LIVEKIT_CLIENT_BUNDLE = path.join(path.dirname(createRequire(import.meta.url).resolve('livekit-client')), 'livekit-client.umd.js');
/**
 * Serves the pages' blank document and livekit-client's bundle on loopback: http there is a secure
 * context (getUserMedia works), and Chromium's local network access checks let a loopback page
 * reach LiveKit on loopback (a page Playwright made up would be "public" and be refused).
 */
async function servePages(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = fs.readFileSync(LIVEKIT_CLIENT_BUNDLE);
  const server = http.createServer((request, response) => {
    if (request.url === '/livekit-client.umd.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>media</title><script src="/livekit-client.umd.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface TRealLiveKit {
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Whether this suite started the server, so its webhooks reach the suite's Proxenia. */
  webhooksReachUs: boolean;
  /** Its log (the requests it received, as it parsed them), when this suite started it. */
  log(): string | null;
}

/**
 * A room suite whose Proxenia uses a real LiveKit: the one configured in the environment, or one
 * started for the suite (its port chosen before Proxenia starts, its webhook pointed at Proxenia
 * once that is up) and stopped after it.
 */
export function useRealLiveKitRoomSuite<Account extends string>(accounts: readonly Account[]): { suite: TRoomSuite<Account>; livekit: () => TRealLiveKit } {
  const { LIVEKIT_URL = '', LIVEKIT_API_KEY = '', LIVEKIT_API_SECRET = '' } = process.env;
  const external = Boolean(LIVEKIT_URL && LIVEKIT_API_KEY && LIVEKIT_API_SECRET);
  // Filled in by the hooks as the suite starts.
  const started = new Map<'port', number>();
  const servers: TLiveKitServer[] = [];
  const logDir = external ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'proxenia-livekit-'));
  const logFile = logDir && path.join(logDir, 'livekit.log');
  const log = () => (logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : null);
  const config = (): TRealLiveKit =>
    external
      ? { url: LIVEKIT_URL, apiKey: LIVEKIT_API_KEY, apiSecret: LIVEKIT_API_SECRET, webhooksReachUs: false, log }
      : { url: `ws://127.0.0.1:${started.get('port') ?? 0}`, apiKey: DEV_API_KEY, apiSecret: DEV_API_SECRET, webhooksReachUs: true, log };
  before(async () => {
    if (!external) started.set('port', await freePort());
  });
  const suite = useRoomSuite(accounts, () => {
    const { url, apiKey, apiSecret } = config();
    return { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret };
  });
  before(async () => {
    if (!logFile) return;
    servers.push(await startLiveKitServer({ port: started.get('port'), webhookUrl: `${suite.server.url}/api/livekit/webhook`, logFile }));
  });
  after(async () => {
    for (const server of servers.splice(0)) await server.stop();
    if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
  });
  return { suite, livekit: config };
}

/** What the page's harness reports about its room. */
export interface TMediaPage {
  page: Page;
  /** Publishes the microphone as livekit-client allows it: 'published', or the error's message. */
  publishMicrophone(): Promise<string>;
  /**
   * Publishes the microphone even where the token forbids it, as a tampered browser would: skips
   * livekit-client's own permission check so the request reaches the SFU. Does not wait for the
   * answer; `publishOutcome` has it ('pending' until then).
   */
  forcePublishMicrophone(): Promise<void>;
  publishOutcome(): Promise<string>;
  /** The loudest any of `identity`'s audio tracks sounded here over `ms` (RMS; 0 with none). */
  loudnessOf(identity: string, ms?: number): Promise<number>;
  /** null while connected, else LiveKit's disconnect reason (e.g. 'PARTICIPANT_REMOVED', 'DUPLICATE_IDENTITY'). */
  disconnectReason(): Promise<string | null>;
  /** The identities whose tracks this page is subscribed to. */
  subscribedTo(): Promise<string[]>;
}

type THarnessWindow = Window & {
  LivekitClient: typeof import('livekit-client');
  harness: {
    join(url: string, token: string): Promise<void>;
    publish(force: boolean): Promise<string>;
    outcome: string;
    loudness(identity: string, ms: number): Promise<number>;
    disconnectReason: string | null;
    subscribed(): string[];
  };
};

/**
 * The page side: joins, taps every subscribed audio track with an AnalyserNode (the track also
 * plays in a muted <audio> element: Chromium feeds WebAudio from a remote track only then).
 */
function installHarness() {
  const w = window as unknown as THarnessWindow;
  const client = w.LivekitClient;
  const context = new AudioContext();
  const taps: { identity: string; track: MediaStreamTrack; analyser: AnalyserNode }[] = [];
  let room: InstanceType<typeof client.Room> | null = null;
  w.harness = {
    outcome: 'none',
    disconnectReason: null,
    async join(url, token) {
      room = new client.Room();
      room.on(client.RoomEvent.TrackSubscribed, (track, _publication, participant) => {
        if (track.kind !== 'audio') return;
        const stream = new MediaStream([track.mediaStreamTrack]);
        const element = new Audio();
        element.srcObject = stream;
        element.muted = true;
        void element.play().catch(() => undefined);
        const analyser = context.createAnalyser();
        analyser.fftSize = 2048;
        context.createMediaStreamSource(stream).connect(analyser);
        taps.push({ identity: participant.identity, track: track.mediaStreamTrack, analyser });
      });
      room.on(client.RoomEvent.Disconnected, (reason) => {
        w.harness.disconnectReason = reason === undefined ? 'UNKNOWN_REASON' : (client.DisconnectReason[reason] ?? String(reason));
      });
      await room.connect(url, token);
      await context.resume();
    },
    async publish(force) {
      if (!room) return 'not joined';
      const local = room.localParticipant as unknown as { hasPermissionsToPublish(): boolean };
      if (force) local.hasPermissionsToPublish = () => true;
      w.harness.outcome = 'pending';
      try {
        await room.localParticipant.setMicrophoneEnabled(true);
        w.harness.outcome = 'published';
      } catch (error) {
        w.harness.outcome = error instanceof Error ? error.message || error.name : String(error);
      }
      return w.harness.outcome;
    },
    async loudness(identity, ms) {
      let loudest = 0;
      const wave = new Float32Array(2048);
      for (const end = Date.now() + ms; Date.now() < end; ) {
        for (const tap of taps) {
          if (tap.identity !== identity || tap.track.readyState !== 'live') continue;
          tap.analyser.getFloatTimeDomainData(wave);
          loudest = Math.max(loudest, Math.sqrt(wave.reduce((sum, value) => sum + value * value, 0) / wave.length));
        }
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      return loudest;
    },
    subscribed() {
      if (!room) return [];
      return [...room.remoteParticipants.values()].filter((participant) => [...participant.trackPublications.values()].some((publication) => publication.isSubscribed)).map((participant) => participant.identity);
    },
  };
}

/** One Chromium (fake camera, a tone as microphone) whose pages join LiveKit rooms; closed after the suite. */
export function useMediaBrowser(): {
  join(ticket: { url: string; token: string }): Promise<TMediaPage>;
  /** A page of Proxenia itself at `url`, signed in with `cookie` (a Cookie header: `name=value; …`). */
  open(url: string, cookie: string): Promise<Page>;
} {
  const started: { browser?: Browser; pages?: Awaited<ReturnType<typeof servePages>> } = {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxenia-tones-'));
  before(async () => {
    started.pages = await servePages();
    started.browser = await launchWithFakeMedia(TONE, dir);
  });
  after(async () => {
    await started.browser?.close();
    await started.pages?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    async open(url, cookie) {
      if (!started.browser) throw new Error('the browser is not running yet');
      const context = await started.browser.newContext();
      const origin = new URL(url).origin;
      await context.addCookies(cookie.split('; ').map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1), url: origin })));
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    async join(ticket) {
      if (!started.browser || !started.pages) throw new Error('the browser is not running yet');
      const page = await started.browser.newPage();
      await page.goto(started.pages.url);
      // tsx keeps function names with a helper the page does not have.
      await page.evaluate('window.__name = (target) => target');
      await page.evaluate(installHarness);
      await page.evaluate(({ url, token }) => (window as unknown as THarnessWindow).harness.join(url, token), ticket);
      return {
        page,
        publishMicrophone: () => page.evaluate(() => (window as unknown as THarnessWindow).harness.publish(false)),
        forcePublishMicrophone: async () => {
          await page.evaluate(() => {
            void (window as unknown as THarnessWindow).harness.publish(true);
          });
        },
        publishOutcome: () => page.evaluate(() => (window as unknown as THarnessWindow).harness.outcome),
        loudnessOf: (identity, ms = 1_500) => page.evaluate(({ who, span }) => (window as unknown as THarnessWindow).harness.loudness(who, span), { who: identity, span: ms }),
        disconnectReason: () => page.evaluate(() => (window as unknown as THarnessWindow).harness.disconnectReason),
        subscribedTo: () => page.evaluate(() => (window as unknown as THarnessWindow).harness.subscribed()),
      };
    },
  };
}
