/**
 * A socket.io connection spoken by hand over a raw WebSocket (the `ws` package engine.io itself
 * uses), so tests can send frames no well-behaved client would: bad JSON, forged attachments,
 * binary garbage, oversized or never-ending fragmented messages.
 */
import WebSocket from 'ws';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../lib/shared/protocol';

export interface TRawSocket {
  ws: WebSocket;
  /** Every text frame received, in order (engine.io pings are answered and not recorded). */
  received: string[];
  /** Resolves with the close code once the connection is closed, by either side. */
  closed: Promise<{ code: number; reason: string }>;
  /** Waits for a received frame matching `test` (already received ones count). */
  waitFor(test: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Sends frames and resolves once they are flushed to the network. */
  send(...frames: (string | Buffer)[]): Promise<void>;
}

export interface TRawOptions {
  cookie?: string;
  /** The Origin header; the server's own origin by default. */
  origin?: string;
  perMessageDeflate?: boolean;
}

/** Opens the engine.io WebSocket transport and resolves once the engine "open" packet arrived. */
export async function openRawSocket(baseUrl: string, options: TRawOptions = {}): Promise<TRawSocket> {
  const url = new URL(`${SOCKET_PATH}/?EIO=4&transport=websocket`, baseUrl);
  url.protocol = 'ws:';
  const headers: Record<string, string> = { origin: options.origin ?? new URL(baseUrl).origin };
  if (options.cookie) headers.cookie = options.cookie;
  const ws = new WebSocket(url, { headers, perMessageDeflate: options.perMessageDeflate ?? false });
  const received: string[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters) wake();
    }),
  );
  ws.on('error', () => {
    // Failures show up as `closed`; an unhandled 'error' would crash the test process.
  });
  ws.on('message', (data, isBinary) => {
    const frame = isBinary ? `<binary ${(data as Buffer).length}>` : data.toString();
    if (frame === '2') {
      ws.send('3');
      return;
    }
    received.push(frame);
    for (const wake of waiters) wake();
  });

  const socket: TRawSocket = {
    ws,
    received,
    closed,
    waitFor(test, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find(test);
          if (found !== undefined) {
            done();
            resolve(found);
          } else if (ws.readyState === WebSocket.CLOSED) {
            done();
            reject(new Error(`connection closed; received ${JSON.stringify(received)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching frame in ${timeoutMs} ms; received ${JSON.stringify(received)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async send(...frames) {
      for (const frame of frames) {
        await new Promise<void>((resolve) => ws.send(frame, () => resolve()));
      }
    },
  };
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused with HTTP ${response.statusCode}`)));
    ws.once('close', () => reject(new Error('closed before open')));
  });
  await socket.waitFor((frame) => frame.startsWith('0{'));
  return socket;
}

/** Opens a raw socket and completes the socket.io CONNECT with the current protocol version. */
export async function openWelcomedRawSocket(baseUrl: string, cookie: string): Promise<TRawSocket> {
  const socket = await openRawSocket(baseUrl, { cookie });
  await socket.send(`40${JSON.stringify({ protocol: PROTOCOL_VERSION })}`);
  await socket.waitFor((frame) => frame.startsWith('42["session:welcome"'));
  return socket;
}
