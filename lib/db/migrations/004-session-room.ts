import type { Migration } from './index';

/**
 * The session room. A negotiation gets a quorum rule (a simple majority of member delegations unless
 * the secretariat chooses otherwise). `session_commands` remembers each command a client sent to a
 * room, under the sender's own client message id, with the acknowledgement it got: a retry finds it
 * and receives the same acknowledgement without acting twice (S20, THREATS T31). Like the log it
 * belongs to, it is append-only.
 */
const common = `
ALTER TABLE negotiations ADD COLUMN quorum_rule TEXT NOT NULL DEFAULT 'majority'
  CHECK (quorum_rule IN ('none', 'majority', 'two_thirds', 'all'));

CREATE TABLE session_commands (
  session_id TEXT NOT NULL REFERENCES negotiation_sessions(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  client_msg_id TEXT NOT NULL,
  command_type TEXT NOT NULL,
  -- sha256 of the canonical command, so an id reused for another command is told apart from a retry.
  command_hash TEXT NOT NULL,
  ack TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (session_id, user_id, client_msg_id)
);
`;

export const sessionRoom: Migration = {
  version: 4,
  name: 'session-room',
  sql: {
    sqlite: `${common}
CREATE TRIGGER session_commands_no_update BEFORE UPDATE ON session_commands
BEGIN SELECT RAISE(ABORT, 'session_commands is append-only'); END;
CREATE TRIGGER session_commands_no_delete BEFORE DELETE ON session_commands
BEGIN SELECT RAISE(ABORT, 'session_commands is append-only'); END;
`,
    postgres: `${common}
CREATE FUNCTION session_commands_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'session_commands is append-only'; END; $$;
CREATE TRIGGER session_commands_no_change BEFORE UPDATE OR DELETE ON session_commands
FOR EACH ROW EXECUTE FUNCTION session_commands_append_only();
`,
  },
};
