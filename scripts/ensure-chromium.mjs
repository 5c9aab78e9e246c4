// Playwright cannot download its own browser here, so end-to-end tests use Debian's Chromium.
// If it is missing: as root, install it; otherwise stop with the exact command to run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (!fs.existsSync(CHROMIUM_PATH)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    process.stderr.write(
      `End-to-end tests need Chromium at ${CHROMIUM_PATH}.\nInstall it with:\n  sudo apt-get update && sudo apt-get install -y chromium\n(or set CHROMIUM_PATH to another Chromium build).\n`,
    );
    process.exit(1);
  }
  process.stdout.write('Installing Debian Chromium for the end-to-end tests…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      process.stderr.write(`apt-get ${args.join(' ')} failed; install Chromium and run the tests again.\n`);
      process.exit(1);
    }
  }
}
