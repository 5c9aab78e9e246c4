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
export const SERVER_ENTRY = path.join(ROOT, 'dist', 'server', 'index.js');

/** How a server process ended. */
export interface TServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TRunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** The embedded database file (meaningful when DATABASE_URL is not set). */
  sqlitePath: string;
  /** Everything the server printed, for assertions about logging. */
  output(): string;
  /** The exit of the process, or null while it runs. */
  exitStatus(): TServerExit | null;
  /** SIGTERM and wait for exit. */
  stop(): Promise<TServerExit>;
  /** SIGKILL and wait for exit (durability drills). */
  kill(): Promise<TServerExit>;
}

export interface TServerOptions {
  /** Reuse a data directory (restart tests); a fresh temporary one by default. */
  dataDir?: string;
  env?: Record<string, string>;
}

function serverEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

function assertBuilt(): void {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error('dist/server/index.js is missing: run `npm run build` first.');
}

function exitOf(child: ChildProcess): TServerExit | null {
  return child.exitCode !== null || child.signalCode !== null ? { code: child.exitCode, signal: child.signalCode } : null;
}

function waitForExit(child: ChildProcess): Promise<TServerExit> {
  const done = exitOf(child);
  return done
    ? Promise.resolve(done)
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** A fresh temporary data directory. */
export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'proxenia-it-'));
}

/** Starts a server; resolves once it listens. */
export async function startServer(options: TServerOptions = {}): Promise<TRunningServer> {
  assertBuilt();
  const dataDir = options.dataDir ?? makeDataDir();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env: serverEnv(dataDir, options.env),
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
    sqlitePath: path.join(dataDir, 'proxenia.sqlite'),
    output: () => output,
    exitStatus: () => exitOf(child),
    async stop() {
      if (!exitOf(child)) child.kill('SIGTERM');
      return waitForExit(child);
    },
    async kill() {
      if (!exitOf(child)) child.kill('SIGKILL');
      return waitForExit(child);
    },
  };
}

/** What a server process that was expected to stop on its own did. */
export interface TFinishedRun extends TServerExit {
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/server/index.js` with the test defaults plus `env` and waits for it to exit on
 * its own (configuration errors); kills it and fails if it is still running after `timeoutMs`.
 */
export async function runServerToExit(env: Record<string, string>, timeoutMs = 30_000): Promise<TFinishedRun> {
  assertBuilt();
  const dataDir = env.DATA_DIR ?? makeDataDir();
  const child = spawn(process.execPath, [SERVER_ENTRY], { cwd: ROOT, env: serverEnv(dataDir, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // 'close' rather than 'exit': it comes after the output streams have been read to the end.
  const exit = await new Promise<TServerExit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  if (exit.signal === 'SIGKILL') throw new Error(`server did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
  return { ...exit, stdout, stderr };
}
