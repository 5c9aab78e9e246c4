// `npm test`: lint, typecheck, unit, contract (SQLite; PostgreSQL too when TEST_DATABASE_URL is set),
// build, the LiveKit server (built from the Go module proxy once per version, unless LIVEKIT_URL names
// one), integration (real server on port 0, real LiveKit, Debian Chromium), the benchmarks' smoke runs
// and end-to-end (Playwright + Debian Chromium).
// Stops at the first failing step and ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';
import { ensureLiveKitServer } from './livekit-server.mjs';
import { parseCommandLine } from './command-line.mjs';
import { runSuite } from './run-node-tests.mjs';

parseCommandLine({
  command: 'npm test',
  summary: 'Runs lint, typecheck, unit, contract, build, integration, benchmark smoke runs and end-to-end tests; stops at the first failing step.',
  options: {},
  notes: 'It takes no options. TEST_DATABASE_URL=postgres://… runs the contract suite on PostgreSQL too; CHROMIUM_PATH names another Chromium.',
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'proxenia-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return result.status ?? 1;
}

function countTap(file) {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const read = (label) => Number(text.match(new RegExp(`^# ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += read('pass');
  totals.failed += read('fail') + read('cancelled');
  totals.skipped += read('skipped') + read('todo');
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return;
  const { stats } = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
}

const steps = [
  ['lint', () => run('npx', ['eslint', '.', '--max-warnings=0'])],
  ['typecheck', () => run('npx', ['tsc', '--noEmit'])],
  ['unit', () => { const tap = path.join(work, 'unit.tap'); const s = runSuite('unit', { tapFile: tap }); countTap(tap); return s; }],
  ['contract', () => { const tap = path.join(work, 'contract.tap'); const s = runSuite('contract', { tapFile: tap }); countTap(tap); return s; }],
  ['build', async () => { await buildAll(); return 0; }],
  ['livekit', () => {
    // The integration suite's real LiveKit (tests/helpers/real-livekit.ts) and its Chromium.
    if (run(process.execPath, ['scripts/ensure-chromium.mjs']) !== 0) return 1;
    if (!process.env.LIVEKIT_URL) ensureLiveKitServer();
    return 0;
  }],
  ['integration', () => { const tap = path.join(work, 'integration.tap'); const s = runSuite('integration', { tapFile: tap }); countTap(tap); return s; }],
  ['benchmarks (smoke)', () => {
    // Each benchmark for a few seconds as `npm run` starts it, on the build just made: a broken one
    // fails here, not on the day someone measures. Nothing is recorded (bench/RESULTS.md untouched).
    let status = 0;
    for (const name of ['bench', 'bench:session', 'bench:replay']) {
      process.stdout.write(`npm run ${name} -- --smoke\n`);
      const passed = run('npm', ['run', '--silent', name, '--', '--smoke']) === 0;
      totals[passed ? 'passed' : 'failed'] += 1;
      if (!passed) status = 1;
    }
    return status;
  }],
  ['e2e', () => {
    if (run(process.execPath, ['scripts/ensure-chromium.mjs']) !== 0) return 1;
    const report = path.join(work, 'playwright.json');
    const status = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
    countPlaywright(report);
    return status;
  }],
];

if (!process.env.TEST_DATABASE_URL) {
  process.stdout.write('TEST_DATABASE_URL is not set: the contract suite runs on SQLite only.\n');
}
let failedStep = null;
for (const [name, step] of steps) {
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const started = Date.now();
  let status;
  try {
    status = await step();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    status = 1;
  }
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)}s`);
  if (status !== 0) {
    failedStep = name;
    break;
  }
}
fs.rmSync(work, { recursive: true, force: true });
process.stdout.write(`\nSteps: ${timings.join(', ')}\n`);
if (failedStep) process.stdout.write(`Step "${failedStep}" failed.\n`);
if (failedStep && totals.failed === 0) totals.failed = 1;
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
process.exit(failedStep ? 1 : 0);
