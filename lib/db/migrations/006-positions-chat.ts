import type { Migration } from './index';

/**
 * Positions, the delegation workspace and chat texts (docs/PROTOCOL.md S50–S79).
 *
 * - `delegation_positions` and `workspace_notes` hold what a delegation says per paragraph or
 *   amendment for the whole negotiation, so the next session starts where the last one ended;
 *   every change is also an event in the log of the session where it was made, and a room brings
 *   changes made elsewhere into its own log (`positions.synced` …). The negotiation remembers
 *   whether the chair shows the consensus map to everyone.
 * - `session_event_contents` keeps text beside the log: a chat message's text, whose hash is in
 *   its log entry. It is the only place the chair's deletion reaches: the text becomes NULL, with
 *   who erased it and when; the log entry and its hash stay, so the chain still verifies. Nothing
 *   else may change a row, and no row may be deleted.
 *
 * Numbered 6: version 5 belongs to decisions, developed alongside. The runner applies whatever a
 * database has not seen, by version, so a database may get 6 before 5.
 */
const common = `
ALTER TABLE negotiations ADD COLUMN position_map TEXT NOT NULL DEFAULT 'everyone'
  CHECK (position_map IN ('everyone', 'managers'));

CREATE TABLE delegation_positions (
  negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
  delegation_id TEXT NOT NULL REFERENCES delegations(id),
  document_id TEXT NOT NULL REFERENCES documents(id),
  target_kind TEXT NOT NULL CHECK (target_kind IN ('paragraph', 'amendment')),
  target_id TEXT NOT NULL,
  -- NULL: no stance stated (only a note).
  stance TEXT CHECK (stance IN ('support', 'can_accept', 'reserve', 'object')),
  note TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL REFERENCES users(id),
  updated_at BIGINT NOT NULL,
  session_id TEXT NOT NULL REFERENCES negotiation_sessions(id),
  PRIMARY KEY (delegation_id, document_id, target_kind, target_id)
);
CREATE INDEX delegation_positions_by_negotiation ON delegation_positions (negotiation_id);

CREATE TABLE workspace_notes (
  negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
  delegation_id TEXT NOT NULL REFERENCES delegations(id),
  document_id TEXT NOT NULL REFERENCES documents(id),
  pid TEXT NOT NULL,
  text TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  updated_at BIGINT NOT NULL,
  session_id TEXT NOT NULL REFERENCES negotiation_sessions(id),
  PRIMARY KEY (delegation_id, document_id, pid)
);
CREATE INDEX workspace_notes_by_negotiation ON workspace_notes (negotiation_id);

-- Written in the transaction that appends its event. No foreign key to session_events: on
-- PostgreSQL one would make TRUNCATE of the log fail on the key before the log's own append-only
-- trigger can refuse it with its clear message.
CREATE TABLE session_event_contents (
  session_id TEXT NOT NULL REFERENCES negotiation_sessions(id),
  seq BIGINT NOT NULL,
  content TEXT,
  erased_at BIGINT,
  erased_by TEXT REFERENCES users(id),
  PRIMARY KEY (session_id, seq)
);
`;

export const positionsAndChat: Migration = {
  version: 6,
  name: 'positions-chat',
  sql: {
    sqlite: `${common}
CREATE TRIGGER session_event_contents_erase_only BEFORE UPDATE ON session_event_contents
WHEN NEW.content IS NOT NULL OR OLD.content IS NULL OR NEW.session_id <> OLD.session_id OR NEW.seq <> OLD.seq
  OR NEW.erased_at IS NULL OR NEW.erased_by IS NULL
BEGIN SELECT RAISE(ABORT, 'session_event_contents: text can only be erased'); END;
CREATE TRIGGER session_event_contents_no_delete BEFORE DELETE ON session_event_contents
BEGIN SELECT RAISE(ABORT, 'session_event_contents: rows cannot be deleted'); END;
`,
    postgres: `${common}
CREATE FUNCTION session_event_contents_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN RAISE EXCEPTION 'session_event_contents: rows cannot be deleted'; END IF;
  IF NEW.content IS NOT NULL OR OLD.content IS NULL OR NEW.session_id <> OLD.session_id OR NEW.seq <> OLD.seq
    OR NEW.erased_at IS NULL OR NEW.erased_by IS NULL THEN
    RAISE EXCEPTION 'session_event_contents: text can only be erased';
  END IF;
  RETURN NEW;
END; $$;
CREATE TRIGGER session_event_contents_erase_only BEFORE UPDATE OR DELETE ON session_event_contents
FOR EACH ROW EXECUTE FUNCTION session_event_contents_erase_only();
CREATE TRIGGER session_event_contents_no_truncate BEFORE TRUNCATE ON session_event_contents
FOR EACH STATEMENT EXECUTE FUNCTION session_event_contents_erase_only();
`,
  },
};
