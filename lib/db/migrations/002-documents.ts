import type { Migration } from './index';

/**
 * Live documents: each accepted Yjs update is one row of the document's ordered log; checkpoints
 * hold the whole state at a seq so loading never replays more than a few thousand updates; the Yjs
 * client ids a user has written under are recorded so nobody else can write under them (T27).
 */
const common = (bytes: string) => `
ALTER TABLE documents ADD COLUMN drafting_mode TEXT NOT NULL DEFAULT 'open_drafting'
  CHECK (drafting_mode IN ('open_drafting', 'amendments_only', 'adopted'));
ALTER TABLE documents ADD COLUMN update_head BIGINT NOT NULL DEFAULT 0;
-- Set when the drafting mode becomes 'adopted': the text that delegations sign.
ALTER TABLE documents ADD COLUMN adopted_at BIGINT;
ALTER TABLE documents ADD COLUMN adopted_text_hash TEXT;

CREATE TABLE document_updates (
  document_id TEXT NOT NULL REFERENCES documents(id),
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  user_id TEXT REFERENCES users(id),
  delegation_id TEXT,
  session_id TEXT,
  update_bytes ${bytes} NOT NULL,
  PRIMARY KEY (document_id, seq)
);

CREATE TABLE document_checkpoints (
  document_id TEXT NOT NULL REFERENCES documents(id),
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  state_bytes ${bytes} NOT NULL,
  PRIMARY KEY (document_id, seq)
);

-- The current status of each paragraph (by its pid); every change is also in the session log.
CREATE TABLE paragraph_statuses (
  document_id TEXT NOT NULL REFERENCES documents(id),
  pid TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'bracketed', 'agreed_ad_ref', 'agreed')),
  set_by TEXT NOT NULL REFERENCES users(id),
  set_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, pid)
);

-- Formal amendments to a paragraph (OpenSlides-style paragraph amendments), proposed by a delegation.
CREATE TABLE amendments (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id),
  pid TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('replace', 'insert', 'delete')),
  original_text TEXT NOT NULL,
  proposed_text TEXT NOT NULL,
  rationale TEXT NOT NULL,
  delegation_id TEXT NOT NULL REFERENCES delegations(id),
  proposed_by TEXT NOT NULL REFERENCES users(id),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'withdrawn')),
  created_at BIGINT NOT NULL,
  decided_by TEXT REFERENCES users(id),
  decided_at BIGINT
);
CREATE INDEX amendments_by_document ON amendments (document_id, created_at);

CREATE TABLE amendment_sponsors (
  amendment_id TEXT NOT NULL REFERENCES amendments(id),
  delegation_id TEXT NOT NULL REFERENCES delegations(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL,
  PRIMARY KEY (amendment_id, delegation_id)
);

-- Signatures of an adopted document: one per member delegation, by its head, over the text's hash.
CREATE TABLE document_signatures (
  document_id TEXT NOT NULL REFERENCES documents(id),
  delegation_id TEXT NOT NULL REFERENCES delegations(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  text_hash TEXT NOT NULL,
  signed_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, delegation_id)
);

-- Comments anchored to a text range (Yjs relative positions, so they follow the text), threaded,
-- visible to everyone or to the author's delegation only.
CREATE TABLE comments (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id),
  thread_id TEXT NOT NULL,
  anchor_start TEXT,
  anchor_end TEXT,
  quote TEXT NOT NULL,
  body TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('all', 'delegation')),
  delegation_id TEXT REFERENCES delegations(id),
  author_id TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by TEXT REFERENCES users(id)
);
CREATE INDEX comments_by_document ON comments (document_id, created_at);

-- Disputed text in square brackets: the range (Yjs relative positions), its original wording, and
-- alternatives that delegations put forward; resolved when the chair adopts one (or the original).
CREATE TABLE brackets (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id),
  pid TEXT NOT NULL,
  anchor_start TEXT NOT NULL,
  anchor_end TEXT NOT NULL,
  original_text TEXT NOT NULL,
  opened_by TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by TEXT REFERENCES users(id),
  chosen_alternative TEXT
);
CREATE INDEX brackets_by_document ON brackets (document_id, created_at);

CREATE TABLE bracket_alternatives (
  id TEXT PRIMARY KEY,
  bracket_id TEXT NOT NULL REFERENCES brackets(id),
  delegation_id TEXT NOT NULL REFERENCES delegations(id),
  text TEXT NOT NULL,
  proposed_by TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (bracket_id, delegation_id)
);

CREATE TABLE document_clients (
  document_id TEXT NOT NULL REFERENCES documents(id),
  client_id BIGINT NOT NULL,
  -- NULL: the server itself (the base text it seeded).
  user_id TEXT REFERENCES users(id),
  first_seen_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, client_id)
);
`;

export const documents: Migration = {
  version: 2,
  name: 'documents',
  sql: {
    sqlite: `${common('BLOB')}
CREATE TRIGGER document_updates_no_update BEFORE UPDATE ON document_updates
BEGIN SELECT RAISE(ABORT, 'document_updates is append-only'); END;
CREATE TRIGGER document_updates_no_delete BEFORE DELETE ON document_updates
BEGIN SELECT RAISE(ABORT, 'document_updates is append-only'); END;
`,
    postgres: `${common('BYTEA')}
CREATE FUNCTION document_updates_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'document_updates is append-only'; END; $$;
CREATE TRIGGER document_updates_no_change BEFORE UPDATE OR DELETE ON document_updates
FOR EACH ROW EXECUTE FUNCTION document_updates_append_only();
CREATE TRIGGER document_updates_no_truncate BEFORE TRUNCATE ON document_updates
FOR EACH STATEMENT EXECUTE FUNCTION document_updates_append_only();
`,
  },
};
