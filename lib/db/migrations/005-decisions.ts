import type { Migration } from './index';

/**
 * Decisions in the session room (docs/PROTOCOL.md S30–S49). The session log is the record; these
 * tables are what the log must not hold, or what the database itself must guarantee:
 *
 * - `decision_voters`: one row per delegation that voted or objected on a question, so the database
 *   refuses a second ballot even if the room's own check were bypassed (THREATS T34). No time, no
 *   user: the log already says who acted when.
 * - `secret_ballots`: a secret ballot's choice, under a random id, with no voter, no delegation and
 *   no time (T38). SQLite keeps it WITHOUT ROWID, ordered by the random key, so not even the
 *   insertion order survives; the tally is read only when the question closes.
 * - `decision_outcomes`: an adopted paragraph, amendment or document is carried into the text once;
 *   the row is written in the same transaction as the text change, so a retry after a crash finds it.
 *
 * All three are append-only, like the log. The partial index finds, at start, the sessions whose
 * questions may still need the server (a silence procedure's deadline, an outcome to carry out)
 * without scanning every event.
 */
const common = `
CREATE TABLE decision_voters (
  session_id TEXT NOT NULL REFERENCES negotiation_sessions(id),
  decision_id TEXT NOT NULL,
  delegation_id TEXT NOT NULL REFERENCES delegations(id),
  PRIMARY KEY (decision_id, delegation_id)
);

CREATE TABLE decision_outcomes (
  decision_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES negotiation_sessions(id),
  status TEXT NOT NULL CHECK (status IN ('applied', 'failed')),
  detail TEXT,
  at BIGINT NOT NULL
);

CREATE INDEX session_events_decisions_opened ON session_events (session_id) WHERE type = 'decision.opened';
`;

const ballots = `
CREATE TABLE secret_ballots (
  decision_id TEXT NOT NULL,
  ballot_id TEXT NOT NULL,
  choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
  PRIMARY KEY (decision_id, ballot_id)
)`;

const APPEND_ONLY = ['decision_voters', 'secret_ballots', 'decision_outcomes'];

export const decisions: Migration = {
  version: 5,
  name: 'decisions',
  sql: {
    sqlite: `${common}
${ballots} WITHOUT ROWID;
${APPEND_ONLY.map(
  (table) => `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`,
).join('\n')}
`,
    postgres: `${common}
${ballots};
CREATE FUNCTION decision_rows_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$;
${APPEND_ONLY.map(
  (table) => `CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
FOR EACH ROW EXECUTE FUNCTION decision_rows_append_only();`,
).join('\n')}
`,
  },
};
