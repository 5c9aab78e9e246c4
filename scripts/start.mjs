// `npm start`: builds when the build is missing or older than the sources, then runs the server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP, buildAll } from './build.mjs';
import { parseCommandLine } from './command-line.mjs';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

parseCommandLine({
  command: 'npm start',
  summary: 'Builds Proxenia when the build is missing or older than the sources, then serves it (http://localhost:3000 by default).',
  options: {},
  notes: 'It takes no options: every setting is an environment variable (PORT, HOST, DATA_DIR, DATABASE_URL, …; README, Configuration).',
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['app', 'lib', 'server', 'messages', 'i18n', 'next.config.js', 'package.json', 'package-lock.json'];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function isBuildFresh() {
  const server = path.join(root, 'dist', 'server', 'index.js');
  if (!fs.existsSync(BUILD_STAMP) || !fs.existsSync(server)) return false;
  const builtAt = fs.statSync(BUILD_STAMP).mtimeMs;
  return SOURCES.every((entry) => newestMtime(entry) <= builtAt);
}

if (!isBuildFresh()) await buildAll();
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(root, 'dist', 'server', 'index.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
