import type { Migration } from './index';

/**
 * Replay checkpoints (docs/ARCHITECTURE.md, The record): the replay's state — the room as the
 * reducer folds it, and which update of each document the session had reached — at every
 * `REPLAY_CHECKPOINT_EVERY`-th seq of a session's log, so a jump to any moment folds at most that
 * many events. Derived data: anything here can be dropped and rebuilt from the log, and the log's
 * hash chain is what proves the record, never a checkpoint. Chat texts are not copied here (they
 * stay beside the log, where the chair's deletion reaches them).
 */
const tables = `
CREATE TABLE session_checkpoints (
  session_id TEXT NOT NULL REFERENCES negotiation_sessions(id),
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
);

-- A moment (?t=) finds its seq, and a session its documents, by index, however long the log.
CREATE INDEX session_events_by_time ON session_events (session_id, at);
CREATE INDEX document_updates_by_session ON document_updates (session_id, document_id, seq);
`;

export const replayCheckpoints: Migration = {
  version: 7,
  name: 'replay-checkpoints',
  sql: { sqlite: tables, postgres: tables },
};
