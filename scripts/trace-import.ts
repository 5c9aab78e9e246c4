// `npm run trace:import -- <file.json[.gz]> [--title T]`: records a real editing trace (format in
// vendor/editing-traces/README.md) as a closed session of the demo negotiation and prints one
// JSON line {"sessionId", "documentId", "events"}. Uses the configured database, like the server.
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { getDb } from '../lib/db';
import { TraceError } from '../lib/documents/editing-trace';
import { importEditingTrace } from '../lib/server/traces/import-trace';
import { parseCommandLine } from './command-line.mjs';

function fail(message: string): never {
  console.error(`trace:import: ${message}`);
  process.exit(1);
}

const {
  values,
  positionals: [file = ''],
} = parseCommandLine({
  command: 'npm run trace:import',
  arguments: '<file.json[.gz]>',
  positionals: { min: 1, max: 1 },
  summary: 'Records an editing trace (the format of vendor/editing-traces) as a closed session of the demo negotiation and prints {"sessionId","documentId","events"}.',
  options: { title: { type: 'string', value: 'TITLE', description: "the session's title (default: the file's name)" } },
  notes: 'It writes to the configured database (DATABASE_URL, else SQLite under DATA_DIR), like the server.',
});

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
