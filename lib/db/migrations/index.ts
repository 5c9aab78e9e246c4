import type { Database, Dialect } from '../driver';
import { initial } from './001-initial';
import { documents } from './002-documents';
import { adoption } from './003-adoption';
import { sessionRoom } from './004-session-room';
import { decisions } from './005-decisions';
import { positionsAndChat } from './006-positions-chat';
import { replayCheckpoints } from './007-replay-checkpoints';
import { minutes } from './008-minutes';
import { checkpointStateVectors } from './009-checkpoint-state-vectors';
import { endedSignIns } from './010-ended-sign-ins';
import { cancelledSessions } from './011-cancelled-sessions';
import { accountLocale } from './012-account-locale';

export interface Migration {
  version: number;
  name: string;
  sql: Record<Dialect, string>;
}

/** Every migration, in order. Append new ones; never edit one that has shipped. */
export const migrations: readonly Migration[] = [initial, documents, adoption, sessionRoom, decisions, positionsAndChat, replayCheckpoints, minutes, checkpointStateVectors, endedSignIns, cancelledSessions, accountLocale];

/** Applies the migrations this database has not seen yet, each in its own transaction. */
export async function migrate(db: Database): Promise<number[]> {
  // Under the same lock as the migrations: two PostgreSQL sessions running CREATE TABLE IF NOT
  // EXISTS at once can both pass the check, and the second then fails on pg_type's unique index.
  await db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(480611)');
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
  });
  const applied = new Set(
    (await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((row) =>
      Number(row.version),
    ),
  );
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    const ran = await db.transaction(async (tx) => {
      // Several nodes may start at once against one PostgreSQL: one migrates, the others wait.
      if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(480611)');
      const already = await tx.get('SELECT 1 FROM schema_migrations WHERE version = ?', [
        migration.version,
      ]);
      if (already) return false;
      await tx.exec(migration.sql[db.dialect]);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      return true;
    });
    if (ran) done.push(migration.version);
  }
  return done;
}
