// `npm run trace:import -- <file.json[.gz]> [--title T]`: records a real editing trace (format in
// vendor/editing-traces/README.md) as a closed session of the demo negotiation and prints one
// JSON line {"sessionId", "documentId", "events"}. Uses the configured database, like the server.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { getDb } from '../lib/db';
import { TraceError } from '../lib/documents/editing-trace';
import { importEditingTrace } from '../lib/server/traces/import-trace';

function fail(message: string): never {
  console.error(`trace:import: ${message}`);
  process.exit(1);
}

const { values, positionals } = parseArgs({ options: { title: { type: 'string' } }, allowPositionals: true });
const [file] = positionals;
if (!file || positionals.length > 1) fail('usage: npm run trace:import -- <file.json.gz> [--title T]');

let json: unknown;
try {
  const raw = fs.readFileSync(file);
  json = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
} catch (error) {
  fail(`cannot read ${file} as ${file.endsWith('.gz') ? 'gzipped ' : ''}JSON (${(error as Error).message}); nothing was imported`);
}

const db = await getDb();
try {
  const imported = await importEditingTrace(db, json, { title: values.title ?? path.basename(file).replace(/\.json(\.gz)?$/, '') });
  console.log(JSON.stringify(imported));
} catch (error) {
  if (error instanceof TraceError) fail(`${error.message}; nothing was imported`);
  throw error;
} finally {
  await db.close();
}
