import type { Migration } from './index';

/**
 * Timestamps are BIGINT epoch milliseconds and flags are nullable timestamps, so one DDL serves
 * both SQLite and PostgreSQL and no driver has to convert booleans or dates.
 */
const tables = `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT,
  account_role TEXT NOT NULL CHECK (account_role IN ('organizer', 'member')),
  disabled_at BIGINT,
  sessions_valid_after BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE actors (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('city', 'region', 'national_government',
    'international_organization', 'business', 'ngo', 'academic')),
  country TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE negotiations (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('multilateral', 'bilateral')),
  host TEXT NOT NULL,
  languages TEXT NOT NULL,
  description TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE delegations (
  id TEXT PRIMARY KEY,
  negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
  actor_id TEXT NOT NULL REFERENCES actors(id),
  status TEXT NOT NULL CHECK (status IN ('member', 'observer')),
  accredited_at BIGINT NOT NULL,
  UNIQUE (negotiation_id, actor_id)
);

CREATE TABLE memberships (
  id TEXT PRIMARY KEY,
  negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  delegation_id TEXT REFERENCES delegations(id),
  role TEXT NOT NULL CHECK (role IN ('secretariat', 'chair', 'head', 'delegate', 'adviser',
    'observer', 'interpreter')),
  created_at BIGINT NOT NULL,
  UNIQUE (negotiation_id, user_id)
);

CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
  delegation_id TEXT REFERENCES delegations(id),
  role TEXT NOT NULL,
  email TEXT NOT NULL,
  invited_by TEXT NOT NULL REFERENCES users(id),
  expires_at BIGINT NOT NULL,
  accepted_at BIGINT,
  accepted_by TEXT REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE negotiation_sessions (
  id TEXT PRIMARY KEY,
  negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
  title TEXT NOT NULL,
  scheduled_start BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'suspended', 'closed')),
  head_seq BIGINT NOT NULL DEFAULT 0,
  head_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('declaration', 'agreement', 'memorandum')),
  base_text TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE session_events (
  session_id TEXT NOT NULL REFERENCES negotiation_sessions(id),
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  user_id TEXT REFERENCES users(id),
  delegation_id TEXT,
  role TEXT,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  client_msg_id TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (session_id, seq),
  UNIQUE (session_id, client_msg_id)
);

CREATE INDEX delegations_by_negotiation ON delegations (negotiation_id);
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE INDEX memberships_by_delegation ON memberships (delegation_id);
CREATE INDEX sessions_by_negotiation ON negotiation_sessions (negotiation_id, scheduled_start);
CREATE INDEX documents_by_negotiation ON documents (negotiation_id);
CREATE INDEX invitations_by_negotiation ON invitations (negotiation_id);
`;

export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: {
    sqlite: `${tables}
CREATE TRIGGER session_events_no_update BEFORE UPDATE ON session_events
BEGIN SELECT RAISE(ABORT, 'session_events is append-only'); END;
CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events
BEGIN SELECT RAISE(ABORT, 'session_events is append-only'); END;
`,
    postgres: `${tables}
CREATE FUNCTION session_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'session_events is append-only'; END; $$;
CREATE TRIGGER session_events_no_change BEFORE UPDATE OR DELETE ON session_events
FOR EACH ROW EXECUTE FUNCTION session_events_append_only();
CREATE TRIGGER session_events_no_truncate BEFORE TRUNCATE ON session_events
FOR EACH STATEMENT EXECUTE FUNCTION session_events_append_only();
`,
  },
};
