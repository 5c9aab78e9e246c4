// `npm run verify-log -- <sessionId>`: proves a session's record intact (exit 0, "verified <N> events")
// or names the first event at which it was altered (exit 1). Reads the configured database
// (DATABASE_URL, else SQLite under DATA_DIR), like the server.
import { getDb } from '../lib/db';
import { verifySessionLog } from '../lib/server/sessions/verify-session-log';
import { AppError } from '../lib/shared/errors';
import { parseCommandLine } from './command-line.mjs';

const REASONS = {
  chain: 'the event at this seq was changed, removed or moved (its hash or link does not hold)',
  truncated: 'events were removed from the end (the log stops before the head the session recorded)',
  document_update: 'the document update this event names was changed or removed',
  chat_text: 'the chat text kept for this event was changed',
} as const;

const {
  positionals: [sessionId = ''],
} = parseCommandLine({
  command: 'npm run verify-log',
  arguments: '<sessionId>',
  positionals: { min: 1, max: 1 },
  summary: "Checks a session's record against its hash chain: exit 0 and `verified <N> events`, or exit 1 naming the first altered event; exit 2 for an unknown session.",
  options: {},
  notes: 'It reads the configured database (DATABASE_URL, else SQLite under DATA_DIR), like the server.',
});
const db = await getDb();
try {
  const result = await verifySessionLog(db, sessionId);
  if (result.ok) {
    console.log(`verified ${result.count} events (session ${sessionId}, chain head ${result.head})`);
  } else {
    console.error(`NOT VERIFIED: session ${sessionId}: first bad seq ${result.badSeq}: ${REASONS[result.reason]}`);
    process.exitCode = 1;
  }
} catch (error) {
  if (!(error instanceof AppError && error.code === 'not_found')) throw error;
  console.error(`no session ${sessionId} in this database`);
  process.exitCode = 2;
} finally {
  await db.close();
}
