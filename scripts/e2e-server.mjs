// The server Playwright starts: a fresh data directory (demo seed only), then `npm start`'s path.
import fs from 'node:fs';

if (!process.env.DATA_DIR) throw new Error('DATA_DIR must be set for the e2e server');
fs.rmSync(process.env.DATA_DIR, { recursive: true, force: true });
await import('./start.mjs');
