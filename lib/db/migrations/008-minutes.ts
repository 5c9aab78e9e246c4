import type { Migration } from './index';

/**
 * A session's minutes as the secretariat edits them (Markdown, starting from the version generated
 * from the log) and publishes them. Publication freezes the row: the database itself refuses any
 * change to published minutes and any deletion, and the publication is logged in the session's log
 * with the minutes' sha256 (`minutes.published`), so the published text can be checked against the
 * hash chain.
 */
const common = `
CREATE TABLE session_minutes (
  session_id TEXT PRIMARY KEY REFERENCES negotiation_sessions(id),
  markdown TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  updated_at BIGINT NOT NULL,
  published_by TEXT REFERENCES users(id),
  published_at BIGINT,
  -- sha256 (hex) of the published Markdown as UTF-8.
  published_hash TEXT,
  CHECK ((published_at IS NULL) = (published_hash IS NULL) AND (published_at IS NULL) = (published_by IS NULL))
);
`;

export const minutes: Migration = {
  version: 8,
  name: 'minutes',
  sql: {
    sqlite: `${common}
CREATE TRIGGER session_minutes_frozen_when_published BEFORE UPDATE ON session_minutes
WHEN OLD.published_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'published minutes cannot change'); END;
CREATE TRIGGER session_minutes_no_delete BEFORE DELETE ON session_minutes
BEGIN SELECT RAISE(ABORT, 'session_minutes rows are kept'); END;
`,
    postgres: `${common}
CREATE FUNCTION session_minutes_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'session_minutes rows are kept'; END IF;
  IF OLD.published_at IS NOT NULL THEN RAISE EXCEPTION 'published minutes cannot change'; END IF;
  RETURN NEW;
END; $$;
CREATE TRIGGER session_minutes_frozen_when_published BEFORE UPDATE OR DELETE ON session_minutes
FOR EACH ROW EXECUTE FUNCTION session_minutes_frozen();
`,
  },
};
