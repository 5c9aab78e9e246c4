// Runs one suite of node:test files (TypeScript through tsx). Usage: run-node-tests.mjs <suite> [--tap FILE]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SUITES = {
  unit: { dirs: ['lib', 'server', 'app'], pattern: /\.test\.tsx?$/ },
  contract: { dirs: ['tests/contract'], pattern: /\.test\.ts$/ },
  integration: { dirs: ['tests/integration', 'tests/security'], pattern: /\.test\.ts$/ },
};

function findFiles(dir, pattern) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findFiles(relative, pattern);
    return pattern.test(entry.name) ? [relative] : [];
  });
}

/** Runs a suite; returns the exit status. With `tapFile`, also writes TAP there for counting. */
export function runSuite(name, { tapFile } = {}) {
  const suite = SUITES[name];
  if (!suite) throw new Error(`unknown suite ${name}; one of ${Object.keys(SUITES).join(', ')}`);
  const files = suite.dirs.flatMap((dir) => findFiles(dir, suite.pattern)).sort();
  if (files.length === 0) {
    process.stdout.write(`No ${name} test files found.\n`);
    return 1;
  }
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
  if (tapFile) reporters.push('--test-reporter=tap', `--test-reporter-destination=${tapFile}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...reporters, ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test' },
  });
  return result.status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, flag, file] = process.argv.slice(2);
  process.exit(runSuite(name, flag === '--tap' ? { tapFile: file } : {}));
}
