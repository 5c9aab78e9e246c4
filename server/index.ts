/**
 * The composed process: one HTTP server on one port serving Next.js (pages, routes, Auth.js) and
 * socket.io, over one database. Start with `npm start`; configuration comes from the environment
 * (lib/env.ts) and an invalid value stops the start naming the variable.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { installDatabase, openMigratedDatabase, type Database } from '../lib/db';
import { InvalidEnvironmentError, readEnv, type TEnv } from '../lib/env';
import { CLIENT_ADDRESS_HEADER } from '../lib/server/client-address';
import { demoAccounts, DEMO_PASSWORD, seedDemo } from '../lib/server/demo-seed';
import { installLiveHub } from '../lib/server/live-hub';
import { log, setLogLevel } from '../lib/server/log';
import { installMediaTransport, mediaTransportFor } from '../lib/server/video/media-transport';
import { pageWriteRefusal } from './page-write-guard';
import { requestOrigin, type TRequestOrigin } from './request-origin';
import { attachSocketServer } from './socket';

/** The project root: the nearest folder above this file that holds package.json. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** AUTH_SECRET from the environment, or one generated on first start and kept in DATA_DIR. */
function resolveAuthSecret(config: TEnv): string {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  const file = path.join(config.dataDir, 'auth-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Where browsers may connect: ourselves, and the LiveKit server's signalling (ws) and API (http) origins. */
function connectTargets(config: TEnv): string[] {
  if (!config.LIVEKIT_URL) return ["'self'"];
  const livekit = new URL(config.LIVEKIT_URL);
  const secure = livekit.protocol === 'wss:' || livekit.protocol === 'https:';
  return ["'self'", `${secure ? 'wss' : 'ws'}://${livekit.host}`, `${secure ? 'https' : 'http'}://${livekit.host}`];
}

/**
 * THREATS T28: scripts run only with this response's nonce (Next.js reads it from the request's CSP
 * header and puts it on its own scripts), so injected markup cannot execute. Styles may be inline:
 * React and Next set style attributes, and styles cannot run code.
 */
function contentSecurityPolicy(nonce: string, config: TEnv): string {
  const dev = config.NODE_ENV === 'development';
  const formTargets = ["'self'", config.OIDC_ISSUER ? new URL(config.OIDC_ISSUER).origin : ''].filter(Boolean);
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    `connect-src ${connectTargets(config).join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${formTargets.join(' ')}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers only this server may set; a client sending them must not be believed (THREATS T6). */
const SERVER_OWNED_HEADERS = ['x-middleware-subrequest', CLIENT_ADDRESS_HEADER, 'content-security-policy'] as const;

/**
 * Makes the forwarded headers Next.js and Auth.js read authoritative: a client cannot claim another
 * host or scheme (redirects, cookie names and the OIDC callback are derived from them).
 */
function setServerOwnedHeaders(request: IncomingMessage, origin: TRequestOrigin): void {
  for (const header of SERVER_OWNED_HEADERS) delete request.headers[header];
  request.headers[CLIENT_ADDRESS_HEADER] = origin.address;
  request.headers['x-forwarded-proto'] = origin.scheme;
  if (origin.host) request.headers['x-forwarded-host'] = origin.host;
  else delete request.headers['x-forwarded-host'];
  delete request.headers['x-forwarded-for'];
}

async function seedIfWanted(config: TEnv, db: Database): Promise<void> {
  const wanted = config.SEED_DEMO === 'true' || (config.SEED_DEMO === 'auto' && db.dialect === 'sqlite');
  if (wanted && (await seedDemo(db))) log.info('demo.seeded');
}

function printBanner(url: string, config: TEnv, db: Database): void {
  const lines = [`Proxenia is running at ${url}`, `Storage: ${db.description}`];
  if (config.SEED_DEMO !== 'false' && db.dialect === 'sqlite') {
    lines.push(`Demo accounts (password "${DEMO_PASSWORD}"):`);
    for (const account of demoAccounts()) lines.push(`  ${account.email.padEnd(40)} ${account.role}`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  let config: TEnv;
  try {
    config = readEnv();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) {
      process.stderr.write(`${error.message}\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw error;
  }
  setLogLevel(config.LOG_LEVEL);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const authSecret = resolveAuthSecret(config);
  // Auth.js inside the Next.js bundle reads the secret from the environment.
  process.env.AUTH_SECRET = authSecret;

  const db = await openMigratedDatabase(config);
  installDatabase(db);
  await seedIfWanted(config, db);

  const trustedProxies = config.TRUST_PROXY;
  // THREATS T4: when the public address is HTTPS, plain HTTP only redirects there.
  const publicUrl = config.PUBLIC_URL ? new URL(config.PUBLIC_URL) : undefined;
  const httpsOnly = publicUrl?.protocol === 'https:';

  // Listen first so Next.js learns the real port (PORT=0 picks one); requests wait until it is ready.
  type TRequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  let nextIsReady: (handle: TRequestHandler) => void = () => undefined;
  const nextHandler = new Promise<TRequestHandler>((resolve) => (nextIsReady = resolve));
  const server = http.createServer(async (request, response) => {
    const origin = requestOrigin(request, trustedProxies);
    if (httpsOnly && origin.scheme !== 'https' && request.url !== '/api/health') {
      response.writeHead(308, { location: new URL(request.url ?? '/', publicUrl).toString() });
      response.end();
      return;
    }
    setServerOwnedHeaders(request, origin);
    const policy = contentSecurityPolicy(randomBytes(16).toString('base64'), config);
    request.headers['content-security-policy'] = policy;
    response.setHeader('Content-Security-Policy', policy);
    if (httpsOnly) response.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    const refusal = pageWriteRefusal(request, origin);
    if (refusal) {
      log.warn('action.refused', { reason: refusal.reason, origin: request.headers.origin, address: origin.address });
      request.resume();
      response.writeHead(refusal.status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      response.end(JSON.stringify({ error: refusal.code }));
      return;
    }
    const handle = await nextHandler;
    handle(request, response).catch((error: unknown) => {
      log.error('http.unhandled', { error, path: request.url });
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error');
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  const allowedOrigins = [config.PUBLIC_URL, ...config.ALLOWED_ORIGINS].filter((origin): origin is string => Boolean(origin));
  const media = await mediaTransportFor(config, db);
  installMediaTransport(media);
  const { io, hub, documents, sessions } = attachSocketServer(server, {
    db,
    media,
    authSecret,
    allowedOrigins,
    httpsOnly,
    requestOrigin: (request) => requestOrigin(request, trustedProxies),
    meshIceServers: config.MESH_ICE_SERVERS,
  });
  installLiveHub(hub);
  // Silence procedures and adopted outcomes the log says are not done (S40, S41); the text changes
  // they make go through the hub just installed.
  void sessions.resumeDecisions().catch((error: unknown) => log.error('decisions.resume_failed', { error }));

  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const app = next({ dev: config.NODE_ENV === 'development', dir: projectRoot(), hostname: 'localhost', port });
  await app.prepare();
  nextIsReady(app.getRequestHandler());
  log.info('server.listening', { port, storage: db.description, media: media.kind });
  printBanner(config.PUBLIC_URL ?? `http://localhost:${port}`, config, db);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('server.stopping', { signal });
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    // Stop accepting, close sockets, make every accepted edit durable, let in-flight requests
    // finish, then close the database.
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await documents.drainAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
    await db.close();
    log.info('server.stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

// T20: the last-resort logger; the supervisor (npm start, systemd, a container runtime) restarts us.
process.on('uncaughtException', (error) => {
  log.error('process.uncaught_exception', { error });
  process.exit(1);
});
process.on('unhandledRejection', (reason) => log.error('process.unhandled_rejection', { reason }));

// A start that fails (unwritable DATA_DIR, unreachable database, missing build) must exit non-zero,
// or a supervisor would take the dead process for a clean stop and never restart it.
main().catch((error: unknown) => {
  log.error('server.start_failed', { error });
  process.exit(1);
});
