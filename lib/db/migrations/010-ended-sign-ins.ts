import type { Migration } from './index';

/**
 * H12: a sign-in that was signed out. Every session token names its sign-in (`sid`); a token whose
 * sign-in is listed here is refused, however valid its signature and expiry. A row is needed only
 * while a copy of the token could still be unexpired: no token outlives the session's maximum age
 * after its last refresh, and a signed-out token is refreshed no more, so rows are dropped after it.
 */
const table = `
CREATE TABLE ended_sign_ins (
  sign_in_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  ended_at BIGINT NOT NULL
);
CREATE INDEX ended_sign_ins_by_time ON ended_sign_ins (ended_at);
`;

export const endedSignIns: Migration = {
  version: 10,
  name: 'ended-sign-ins',
  sql: { sqlite: table, postgres: table },
};
