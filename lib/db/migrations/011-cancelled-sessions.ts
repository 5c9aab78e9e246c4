import type { Migration } from './index';

const STATUS_CHECK = "CHECK (status IN ('scheduled', 'live', 'suspended', 'closed', 'cancelled'))";

/**
 * A session can be cancelled (S85), a status of its own rather than "closed". PostgreSQL replaces the
 * column's CHECK constraint. SQLite cannot alter a constraint: the table is rebuilt under the same name.
 * Nine tables reference it; with the foreign keys deferred, dropping it counts their rows as orphans
 * and inserting the same ids again uncounts them, so the commit's check passes and no row is touched.
 */
export const cancelledSessions: Migration = {
  version: 11,
  name: 'cancelled-sessions',
  sql: {
    sqlite: `
PRAGMA defer_foreign_keys = ON;
CREATE TABLE negotiation_sessions_copy AS SELECT * FROM negotiation_sessions;
DROP TABLE negotiation_sessions;
CREATE TABLE negotiation_sessions (
  id TEXT PRIMARY KEY,
  negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
  title TEXT NOT NULL,
  scheduled_start BIGINT NOT NULL,
  status TEXT NOT NULL ${STATUS_CHECK},
  head_seq BIGINT NOT NULL DEFAULT 0,
  head_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
INSERT INTO negotiation_sessions (id, negotiation_id, title, scheduled_start, status, head_seq, head_hash, created_at)
  SELECT id, negotiation_id, title, scheduled_start, status, head_seq, head_hash, created_at FROM negotiation_sessions_copy;
DROP TABLE negotiation_sessions_copy;
CREATE INDEX sessions_by_negotiation ON negotiation_sessions (negotiation_id, scheduled_start);
`,
    postgres: `
ALTER TABLE negotiation_sessions DROP CONSTRAINT negotiation_sessions_status_check;
ALTER TABLE negotiation_sessions ADD CONSTRAINT negotiation_sessions_status_check ${STATUS_CHECK};
`,
  },
};
