/**
 * THREATS A/B at the transport: hostile upgrade requests (T5), traffic before authentication (T8),
 * oversized, endless or compressed frames (T16–T18) and malformed socket.io packets (T19, T20).
 * After each attack the server must still serve: health ok and a fresh socket welcomed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../lib/shared/protocol';
import { demoEmail, DEMO_PASSWORD } from '../helpers/demo-data';
import { Browserless, eventually } from '../helpers/http';
import { connectSocket, disconnection } from '../helpers/live';
import { openRawSocket, openWelcomedRawSocket, type TRawSocket } from '../helpers/raw-socket';
import { startServer, type TRunningServer } from '../helpers/server';

/** WebSocket close code 1009 "message too big". */
const MESSAGE_TOO_BIG = 1009;
const ONE_MB = 1_000_000;

/** Sends raw bytes on a fresh TCP connection; resolves with all the server answered before closing. */
function rawTcpExchange(port: number, request: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, timeoutMs);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may reset the connection while we are still writing; that is a refusal too.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.end(request);
  });
}

function upgradeRequest(port: number, extraHeaderLines: string[], { keyLast = false } = {}): string {
  const upgrade = ['Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13'];
  const lines = [
    `GET ${SOCKET_PATH}/?EIO=4&transport=websocket HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    ...(keyLast ? [...extraHeaderLines, ...upgrade] : [...upgrade, ...extraHeaderLines]),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

describe('malformed and hostile socket traffic', () => {
  let server: TRunningServer;
  let cookie: string;

  before(async () => {
    server = await startServer();
    const client = new Browserless(server.url);
    assert.equal(await client.signIn(demoEmail('chair'), DEMO_PASSWORD), true);
    cookie = client.cookieHeader();
  });
  after(async () => {
    await server.stop();
  });

  /** The server survived: process alive, health ok, and a new socket is welcomed. */
  async function assertStillServing(): Promise<void> {
    assert.equal(server.exitStatus(), null, `the server process exited:\n${server.output().slice(-2000)}`);
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    const outcome = await connectSocket(server.url, { cookie });
    outcome.socket.close();
    assert.equal(outcome.kind, 'welcome');
  }

  async function closedWithin(socket: TRawSocket, ms = 2_000): Promise<{ code: number; reason: string } | 'still open'> {
    let timer: NodeJS.Timeout | undefined;
    const open = new Promise<'still open'>((resolve) => {
      timer = setTimeout(() => resolve('still open'), ms);
    });
    const result = await Promise.race([socket.closed, open]);
    clearTimeout(timer);
    socket.ws.terminate();
    return result;
  }

  test('[T5] an upgrade request with thousands of headers is rejected without a crash', async () => {
    const thousands = Array.from({ length: 5_000 }, (_, index) => `X-Flood-${index}: ${index}`);
    const answer = await rawTcpExchange(server.port, upgradeRequest(server.port, thousands));
    assert.match(answer, /^HTTP\/1\.1 431 /, `answer: ${answer.slice(0, 80)}`);
    assert.doesNotMatch(answer, /101 Switching Protocols/);
    await assertStillServing();
  });

  test('[T5] more headers than maxHeadersCount, with the WebSocket key pushed past the cut, is refused without a crash (CVE-2024-37890)', async () => {
    // Short duplicate lines stay under the 16 KB header limit but over Node's 2,000-header count, so
    // the parser drops the Sec-WebSocket-* headers that follow: the case that crashed ws < 8.17.1.
    const padding = Array.from({ length: 2_100 }, () => 'a: 1');
    const answer = await rawTcpExchange(server.port, upgradeRequest(server.port, padding, { keyLast: true }));
    assert.doesNotMatch(answer, /101 Switching Protocols/);
    assert.match(answer, /^HTTP\/1\.1 4\d\d /, `answer: ${answer.slice(0, 80)}`);
    await assertStillServing();
  });

  test('[T5] a plain HTTP request with thousands of headers gets 431 and the page server keeps going', async () => {
    const lines = ['GET /api/health HTTP/1.1', `Host: 127.0.0.1:${server.port}`, ...Array.from({ length: 5_000 }, (_, index) => `X-Flood-${index}: ${index}`)];
    const answer = await rawTcpExchange(server.port, `${lines.join('\r\n')}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 431 /);
    await assertStillServing();
  });

  test('[T8] an event sent before authentication closes the connection and is never processed', async () => {
    // Signed in, but the events race the (asynchronous) auth middleware: none may be queued.
    const racing = await openRawSocket(server.url, { cookie });
    await racing.send(`40{"protocol":${PROTOCOL_VERSION}}`, ...Array.from({ length: 100 }, (_, index) => `42["probe",${index}]`));
    assert.notEqual(await closedWithin(racing), 'still open');
    assert.ok(!racing.received.some((frame) => frame.startsWith('42["session:welcome"')), 'no welcome after a pre-auth event');

    // Not signed in: the refusal is the only answer, and the next event ends the connection.
    const anonymous = await openRawSocket(server.url);
    await anonymous.send(`40{"protocol":${PROTOCOL_VERSION}}`);
    await anonymous.waitFor((frame) => frame === '44{"message":"unauthenticated"}');
    await anonymous.send('42["probe"]');
    assert.notEqual(await closedWithin(anonymous), 'still open');
    assert.deepEqual(anonymous.received.slice(1), ['44{"message":"unauthenticated"}']);
    await assertStillServing();
  });

  test('[T8] namespaces other than the main one do not exist: each try is refused, nothing is joined', async () => {
    const socket = await openRawSocket(server.url, { cookie });
    await socket.send(...Array.from({ length: 20 }, (_, index) => `40/room-${index},{"protocol":${PROTOCOL_VERSION}}`));
    await socket.waitFor((frame) => frame.startsWith('44/room-19,'));
    const answers = socket.received.slice(1);
    assert.equal(answers.length, 20);
    assert.ok(answers.every((frame) => /^44\/room-\d+,\{"message":"Invalid namespace"\}$/.test(frame)), answers.join('\n'));
    socket.ws.terminate();
  });

  test('[T16] a socket.io message over 1 MB closes the connection, is logged, and the server keeps serving', async () => {
    const outcome = await connectSocket(server.url, { cookie });
    assert.equal(outcome.kind, 'welcome');
    const closed = disconnection(outcome.socket);
    outcome.socket.emit('probe' as never, 'x'.repeat(ONE_MB + 100_000));
    assert.equal(await closed, 'transport close');
    outcome.socket.close();

    const raw = await openWelcomedRawSocket(server.url, cookie);
    await raw.send(`42["probe","${'x'.repeat(ONE_MB)}"]`);
    assert.equal((await raw.closed).code, MESSAGE_TOO_BIG);
    await eventually(() => /"event":"socket.bad_frame","reason":"transport error"/.test(server.output()));
    await assertStillServing();
  });

  test('[T16] a message just under the cap is accepted (the cap is 1 MB, not less)', async () => {
    const raw = await openWelcomedRawSocket(server.url, cookie);
    await raw.send(`42["probe","${'x'.repeat(ONE_MB - 100)}"]`);
    assert.equal(await closedWithin(raw, 500), 'still open');
  });

  test('[T17] a fragmented message whose continuation frames never end is cut off at the cap', async () => {
    const raw = await openWelcomedRawSocket(server.url, cookie);
    const fragment = 'x'.repeat(200_000);
    // fin: false on every frame: the message never completes; the server must count the fragments.
    for (let index = 0; index < 8 && raw.ws.readyState === raw.ws.OPEN; index += 1) {
      await new Promise<void>((resolve) => raw.ws.send(fragment, { fin: false }, () => resolve()));
    }
    assert.equal((await raw.closed).code, MESSAGE_TOO_BIG);
    await assertStillServing();
  });

  test('[T18] per-message compression is not negotiated even when the client offers it', async () => {
    const raw = await openRawSocket(server.url, { cookie, perMessageDeflate: true });
    assert.equal(raw.ws.extensions, '');
    raw.ws.terminate();
  });

  const MALFORMED: Record<string, (string | Buffer)[]> = {
    'bad JSON': ['42[bad json'],
    'bad JSON object': ['42{"a":}'],
    'truncated array': ['42["probe",{"a":[1,2'],
    'event payload that is not an array': ['42"probe"'],
    'event payload that is an object': ['42{"probe":1}'],
    'event name that is an object': ['42[{"a":1}]'],
    'empty event array': ['42[]'],
    'reserved event name "disconnect"': ['42["disconnect"]'],
    '_placeholder with num "splice"': ['451-["probe",{"_placeholder":true,"num":"splice"}]', Buffer.from([1, 2, 3])],
    '_placeholder with num "__proto__"': ['451-["probe",{"_placeholder":true,"num":"__proto__"}]', Buffer.from([1, 2, 3])],
    '_placeholder pointing past the attachments': ['451-["probe",{"_placeholder":true,"num":7}]', Buffer.from([1, 2, 3])],
    'attachment count that never arrives': ['45999999999-["probe"]'],
    'binary frame without a header': [randomBytes(512)],
    'unknown socket.io packet type': ['47'],
    'unknown engine.io packet type': ['x'],
    'empty frame': [''],
    'NUL and invalid bytes': ['4\u0000\u00ff\ud800'],
  };

  for (const [label, frames] of Object.entries(MALFORMED)) {
    test(`[T19] ${label}: the connection is closed and the server keeps serving`, async () => {
      const raw = await openWelcomedRawSocket(server.url, cookie);
      await raw.send(...frames);
      const result = await closedWithin(raw);
      assert.notEqual(result, 'still open', 'a malformed frame must end the connection');
      assert.deepEqual(raw.received.filter((frame) => !frame.startsWith('0{') && !frame.startsWith('40') && !frame.startsWith('42["session:welcome"')), []);
      await assertStillServing();
    });
  }

  test('[T19] malformed frames are logged with their reason', async () => {
    const raw = await openWelcomedRawSocket(server.url, cookie);
    await raw.send('451-["probe",{"_placeholder":true,"num":"splice"}]', Buffer.from([1]));
    await raw.closed;
    await eventually(() => /"event":"socket.error".*illegal attachments/.test(server.output()));
  });

  test('[T20] a client-sent "error" event and other reserved or prototype names do not take the process down', async () => {
    const raw = await openWelcomedRawSocket(server.url, cookie);
    await raw.send(
      '42["error","boom"]',
      '42["error"]',
      '42["error",{"message":"boom","stack":"x"}]',
      '42["__proto__",{"polluted":true}]',
      '42["constructor",{}]',
      '42["hasOwnProperty"]',
      '42["toString"]',
      '42[42,"numeric event name"]',
      '43999["unknown ack"]',
    );
    // The connection stays usable: the server still reads from it and answers.
    await raw.send('40/after,{}');
    await raw.waitFor((frame) => frame === '44/after,{"message":"Invalid namespace"}');
    raw.ws.terminate();
    await eventually(() => /"event":"socket.error","userId":"[^"]+","error":"boom"/.test(server.output()));
    await assertStillServing();
  });
});
