// A real LiveKit server for development and the tests (docs/OPERATIONS.md, "Video with LiveKit"): built
// from the Go module proxy at a pinned version, cached under node_modules/.cache (reused while the
// version is unchanged), and started in development mode on free loopback ports with its webhook
// pointed at a Proxenia. `npm run livekit:dev -- --help` for the command line.
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine, refuse } from './command-line.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The LiveKit release the tests prove; its go.mod has no replace directive, so `go install` builds it. */
export const LIVEKIT_SERVER_VERSION = 'v1.13.5';
const MODULE = 'github.com/livekit/livekit-server/cmd/server';
const CACHE_DIR = path.join(root, 'node_modules', '.cache', 'livekit-server', LIVEKIT_SERVER_VERSION);
/** `go install` names the binary after the package's directory. */
export const LIVEKIT_SERVER_BINARY = process.env.LIVEKIT_SERVER_BIN || path.join(CACHE_DIR, 'server');

/** Development key and secret: LiveKit wants a secret of 32 characters or more outside `--dev`, so one is used here too. */
export const DEV_API_KEY = 'proxenia-dev';
export const DEV_API_SECRET = 'proxenia-dev-secret-at-least-32-characters';

function goCommand() {
  if (process.env.GO) return process.env.GO;
  const found = spawnSync('go', ['version'], { stdio: 'ignore' });
  if (found.status === 0) return 'go';
  // Where Go's own installer puts it, often not on a non-login shell's PATH.
  if (fs.existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  return null;
}

/**
 * The binary's path, building it first when this version is not cached (minutes on a cold Go
 * cache: docs/OPERATIONS.md has the times measured here). Returns how long the build took (0: reused).
 */
export function ensureLiveKitServer({ log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  if (fs.existsSync(LIVEKIT_SERVER_BINARY)) return { binary: LIVEKIT_SERVER_BINARY, builtInSeconds: 0 };
  const go = goCommand();
  if (!go) {
    throw new Error(`No Go toolchain to build LiveKit ${LIVEKIT_SERVER_VERSION}: install Go (1.24 or later) or set LIVEKIT_SERVER_BIN to a livekit-server binary.`);
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  log(`Building LiveKit server ${LIVEKIT_SERVER_VERSION} from the Go module proxy into ${path.relative(root, CACHE_DIR)} (once per version)…`);
  const started = Date.now();
  const result = spawnSync(go, ['install', `${MODULE}@${LIVEKIT_SERVER_VERSION}`], { stdio: 'inherit', env: { ...process.env, GOBIN: CACHE_DIR } });
  if (result.status !== 0 || !fs.existsSync(LIVEKIT_SERVER_BINARY)) throw new Error(`go install ${MODULE}@${LIVEKIT_SERVER_VERSION} failed (status ${result.status})`);
  const builtInSeconds = Math.round((Date.now() - started) / 1000);
  log(`LiveKit server built in ${builtInSeconds}s.`);
  return { binary: LIVEKIT_SERVER_BINARY, builtInSeconds };
}

/** A free loopback port of `kind` (the kernel's choice; released for LiveKit to take). */
export async function freePort(kind = 'tcp') {
  if (kind === 'udp') {
    const socket = dgram.createSocket('udp4');
    await new Promise((resolve, reject) => socket.once('error', reject).bind(0, '127.0.0.1', resolve));
    const { port } = socket.address();
    await new Promise((resolve) => socket.close(resolve));
    return port;
  }
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * LiveKit's configuration: loopback only (signal, ICE over UDP and TCP on one port each), no TURN,
 * no external IP discovery (nothing here may reach the internet), webhooks to `webhookUrl`.
 */
export function liveKitConfig({ port, rtcTcpPort, rtcUdpPort, webhookUrl, redis = '', apiKey = DEV_API_KEY, apiSecret = DEV_API_SECRET }) {
  const config = {
    port,
    bind_addresses: ['127.0.0.1'],
    rtc: { tcp_port: rtcTcpPort, udp_port: rtcUdpPort, use_external_ip: false, node_ip: '127.0.0.1', enable_loopback_candidate: true },
    keys: { [apiKey]: apiSecret },
    turn: { enabled: false },
    logging: { level: 'info' },
    ...(webhookUrl ? { webhook: { api_key: apiKey, urls: [webhookUrl] } } : {}),
    // An egress service (recording) reaches LiveKit only through a Redis they share.
    ...(redis ? { redis: { address: redis } } : {}),
  };
  // JSON is YAML: LiveKit reads it as its config body.
  return JSON.stringify(config);
}

/**
 * Starts LiveKit (building it first if needed) and resolves once it answers. `port` 0 or absent: a
 * free one. Output goes to `logFile` when given (the tests), else to this process's.
 */
export async function startLiveKitServer({ port = 0, webhookUrl = '', redis = '', logFile = '', apiKey = DEV_API_KEY, apiSecret = DEV_API_SECRET } = {}) {
  const { binary } = ensureLiveKitServer();
  const ports = { port: port || (await freePort()), rtcTcpPort: await freePort(), rtcUdpPort: await freePort('udp') };
  const output = logFile ? fs.openSync(logFile, 'a') : 'inherit';
  const child = spawn(binary, ['--dev', '--config-body', liveKitConfig({ ...ports, webhookUrl, redis, apiKey, apiSecret })], {
    stdio: ['ignore', output, output],
  });
  if (typeof output === 'number') fs.closeSync(output);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const httpUrl = `http://127.0.0.1:${ports.port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(null), 200))]);
    if (early) throw new Error(`LiveKit exited on start (${JSON.stringify(early)})${logFile ? `; see ${logFile}` : ''}`);
    const ready = await fetch(httpUrl).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`LiveKit did not answer on ${httpUrl} within 30 s${logFile ? `; see ${logFile}` : ''}`);
    }
  }
  return {
    url: `ws://127.0.0.1:${ports.port}`,
    apiKey,
    apiSecret,
    ports,
    pid: child.pid,
    /** Stops it (SIGTERM, then SIGKILL after 5 s: LiveKit drains rooms for a while on SIGTERM). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const COMMAND_LINE = {
  command: 'npm run livekit:dev',
  summary: `Builds LiveKit server ${LIVEKIT_SERVER_VERSION} from the Go module proxy (once; cached in\nnode_modules/.cache/livekit-server/${LIVEKIT_SERVER_VERSION}) and starts it in development mode on loopback.`,
  options: {
    port: { type: 'number', value: 'N', default: 7880, description: 'signalling port (0 picks a free one)' },
    webhook: { type: 'string', value: 'URL', default: 'http://localhost:3000/api/livekit/webhook', description: 'where LiveKit posts its webhooks' },
    redis: { type: 'string', value: 'HOST:PORT', description: 'share this Redis with an egress service, for recording (docs/OPERATIONS.md)' },
    'build-only': { type: 'boolean', description: 'build (or find) the binary, print its path, and exit' },
  },
  notes:
    'Then start Proxenia with the printed LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET.\n' +
    'Environment: GO (the go command), LIVEKIT_SERVER_BIN (use this binary instead of building).',
};

async function main(args) {
  const { values } = parseCommandLine(COMMAND_LINE, args);
  if (values['build-only']) {
    process.stdout.write(`${ensureLiveKitServer().binary}\n`);
    return;
  }
  if (!Number.isInteger(values.port) || values.port > 65535) refuse(COMMAND_LINE.command, `--port must be a port number, not '${values.port}'`);
  const server = await startLiveKitServer({ port: values.port, webhookUrl: values.webhook, redis: values.redis ?? '' });
  process.stdout.write(
    `\nLiveKit ${LIVEKIT_SERVER_VERSION} is running (pid ${server.pid}); ports ${JSON.stringify(server.ports)}.\n` +
      `Start Proxenia with:\n  LIVEKIT_URL=${server.url} LIVEKIT_API_KEY=${server.apiKey} LIVEKIT_API_SECRET=${server.apiSecret} npm start\n` +
      'Ctrl-C stops LiveKit.\n',
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.stop().then(() => process.exit(0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
