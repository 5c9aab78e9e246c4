/**
 * Starts the real, built server (dist/server/index.js) on port 0 in a child process, with its own
 * data directory, and stops it afterwards. Integration and security tests talk to it over HTTP and
 * socket.io exactly like a browser would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SERVER_ENTRY = path.join(ROOT, 'dist', 'server', 'index.js');

export interface TRunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed, for assertions about logging. */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit (durability drills). */
  kill(): Promise<void>;
}

export interface TServerOptions {
  /** Reuse a data directory (restart tests); a fresh temporary one by default. */
  dataDir?: string;
  env?: Record<string, string>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a server; resolves once it listens. */
export async function startServer(options: TServerOptions = {}): Promise<TRunningServer> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error('dist/server/index.js is missing: run `npm run build` first.');
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'proxenia-it-'));
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/"event":"server.listening","port":(\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await waitForExit(child);
    },
    async kill() {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
  };
}
