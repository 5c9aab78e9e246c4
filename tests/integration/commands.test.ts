/**
 * Every command the README documents, as a person types it: `-- --help` prints its usage and
 * options (exit 0, doing nothing else — `npm start` does not build or serve, `npm test` runs no
 * test), and an unknown option is refused with one line naming it (exit 2), not a stack trace.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { npmRun } from '../helpers/npm-run';

/** Each documented command, with options its help must list. */
const COMMANDS: Record<string, string[]> = {
  start: [],
  test: [],
  bench: ['--scenario', '--target', '--smoke', '--no-write'],
  'bench:session': ['--delegations', '--per-delegation', '--floor-changes', '--processes', '--smoke'],
  'bench:replay': ['--trace', '--jumps', '--postgres', '--smoke'],
  'verify-log': [],
  'trace:import': ['--title'],
  'livekit:dev': ['--port', '--webhook', '--redis', '--build-only'],
};

describe('documented commands', () => {
  test('every documented command answers --help with its options and refuses an unknown option in one line', async () => {
    const outcomes = await Promise.all(
      Object.keys(COMMANDS).map(async (script) => ({ script, help: await npmRun(script, ['--help']), unknown: await npmRun(script, ['--no-such-option']) })),
    );
    for (const { script, help, unknown } of outcomes) {
      assert.equal(help.code, 0, `${script} --help: ${help.stderr}`);
      assert.match(help.stdout, new RegExp(`^Usage: npm (run )?${script}`), `${script} --help prints its usage`);
      for (const option of [...(COMMANDS[script] ?? []), '--help']) assert.ok(help.stdout.includes(`  ${option}`), `${script} --help lists ${option}`);
      assert.equal(unknown.code, 2, `${script} --no-such-option exits 2`);
      assert.equal(unknown.stdout, '', `${script} does nothing with an unknown option`);
      assert.equal(unknown.stderr.trimEnd().split('\n').length, 1, `${script}: one line, not a stack trace: ${unknown.stderr}`);
      assert.match(unknown.stderr, /Unknown option '--no-such-option'/);
    }
  });
});
