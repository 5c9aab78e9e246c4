import type { TBallotChoice, TOutcomeFailure, TTally } from '../../session/room/decisions';
import type { Queryable } from '../driver';

/** Records that a delegation acted on a question; the primary key refuses a second time (T34). */
export async function insertDecisionVoter(q: Queryable, vote: { sessionId: string; decisionId: string; delegationId: string }): Promise<void> {
  await q.run('INSERT INTO decision_voters (session_id, decision_id, delegation_id) VALUES (?, ?, ?)', [vote.sessionId, vote.decisionId, vote.delegationId]);
}

/** Stores a secret ballot's choice under a random id, with nothing that names or orders its voter (T38). */
export async function insertSecretBallot(q: Queryable, ballot: { decisionId: string; ballotId: string; choice: TBallotChoice }): Promise<void> {
  await q.run('INSERT INTO secret_ballots (decision_id, ballot_id, choice) VALUES (?, ?, ?)', [ballot.decisionId, ballot.ballotId, ballot.choice]);
}

/** The count of a secret ballot's choices: only counts leave the table. */
export async function tallySecretBallots(q: Queryable, decisionId: string): Promise<TTally> {
  const rows = await q.all<{ choice: TBallotChoice; n: number | string }>(
    'SELECT choice, COUNT(*) AS n FROM secret_ballots WHERE decision_id = ? GROUP BY choice',
    [decisionId],
  );
  const tally: TTally = { yes: 0, no: 0, abstain: 0 };
  for (const row of rows) tally[row.choice] = Number(row.n);
  return tally;
}

/** Whether a question's adopted outcome was carried out (or found impossible) already. */
export async function findDecisionOutcome(q: Queryable, decisionId: string): Promise<{ status: 'applied' | 'failed' } | undefined> {
  return q.get<{ status: 'applied' | 'failed' }>('SELECT status FROM decision_outcomes WHERE decision_id = ?', [decisionId]);
}

/** Marks a question's outcome carried out; a second mark for the same question violates the key. */
export async function insertDecisionOutcome(
  q: Queryable,
  outcome: { decisionId: string; sessionId: string; status: 'applied' | 'failed'; detail: TOutcomeFailure | null; at: number },
): Promise<void> {
  await q.run('INSERT INTO decision_outcomes (decision_id, session_id, status, detail, at) VALUES (?, ?, ?, ?, ?)', [
    outcome.decisionId,
    outcome.sessionId,
    outcome.status,
    outcome.detail,
    outcome.at,
  ]);
}

/**
 * Sessions not closed whose log holds a question: after a start, the server loads their rooms to
 * resume silence procedures and finish carrying out adopted outcomes (S40, S41).
 */
export async function listSessionsWithQuestions(q: Queryable): Promise<{ id: string; negotiationId: string }[]> {
  return q.all<{ id: string; negotiationId: string }>(
    `SELECT s.id, s.negotiation_id AS "negotiationId" FROM negotiation_sessions s
     WHERE s.status NOT IN ('closed', 'cancelled') AND EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.id AND e.type = 'decision.opened')
     ORDER BY s.id`,
  );
}
