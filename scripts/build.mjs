// Builds what `npm start` runs: the Next.js app (.next/) and the composed server (dist/server/).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_STAMP = path.join(root, '.next', 'proxenia-build-stamp');

/** Runs `next build`, then bundles server/index.ts; writes a stamp so `npm start` knows it is fresh. */
export async function buildAll() {
  const started = Date.now();
  process.stdout.write('Building Proxenia (Next.js app and server)…\n');
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('next build failed');
  const outdir = path.join(root, 'dist', 'server');
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { index: path.join(root, 'server', 'index.ts') },
    outdir,
    // Code split at dynamic imports stays out of memory until used (PostgreSQL's driver, the
    // LiveKit SDK); in one file, esbuild would hoist their imports and load them at start.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  fs.writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
  process.stdout.write(`Built in ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAll().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
