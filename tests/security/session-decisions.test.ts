/**
 * THREATS section C for decisions over real sockets (docs/PROTOCOL.md S35–S45): double votes from
 * two tabs and from head and designee at once (T34), ballots outside the open window and a close
 * atomic with in-flight ballots (T35), observers (T36), voting for another delegation or without a
 * designation (T37), secret ballots unlinkable in what the server stores and sends (T38), a role
 * taken away mid-vote (T39), strict inputs (T29) and retries (T31). Every refusal stores nothing
 * and reaches nobody else.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { TCommandAck } from '../../lib/session/room/commands';
import { openQuestion } from '../../lib/session/room/decisions';
import { demoEmail, demoNegotiations, userIdOf, withServerDatabase } from '../helpers/demo-data';
import { eventually } from '../helpers/http';
import { scheduleMetropolisSession, storedCounts, useRoomSuite, type TRoomClient } from '../helpers/session-room';

const HEADS = ['head.montreal', 'head.seoul', 'head.barcelona', 'head.johannesburg'] as const;
const ACCOUNTS = ['chair', ...HEADS, 'delegate.montreal', 'delegate.seoul', 'observer'] as const;
type TAccount = (typeof ACCOUNTS)[number];

const decisionIdOf = (ack: TCommandAck): string => {
  assert.ok(ack.ok, `accepted: ${JSON.stringify(ack)}`);
  return ack.result?.decisionId ?? '';
};

describe('session decisions: bad input and threats', () => {
  const suite = useRoomSuite(ACCOUNTS);

  async function liveRoom(...accounts: TAccount[]): Promise<{ sessionId: string; clients: Record<string, TRoomClient> }> {
    const sessionId = await scheduleMetropolisSession(suite.server, `Vote threat ${Math.random().toString(36).slice(2)}`);
    const clients: Record<string, TRoomClient> = {};
    for (const account of ['chair', ...HEADS, ...accounts] as TAccount[]) clients[account] = await suite.join(account, sessionId);
    assert.ok((await clients.chair!.connection.send('session.set_status', { status: 'live' })).ok);
    return { sessionId, clients };
  }

  const client = (clients: Record<string, TRoomClient>, account: TAccount): TRoomClient => {
    const found = clients[account];
    if (!found) throw new Error(`${account} is not in the room`);
    return found;
  };

  /** Sends a command that must be refused with `error`, and checks nothing was stored or sent to anyone. */
  async function refusedQuietly(sessionId: string, clients: Record<string, TRoomClient>, sender: TRoomClient, type: string, input: unknown, error: string): Promise<void> {
    // Everyone has what was accepted before; what they receive from here on would be the refusal's.
    const head = withServerDatabase(suite.server, (db) => (db.prepare('SELECT head_seq AS seq FROM negotiation_sessions WHERE id = ?').get(sessionId) as { seq: number }).seq);
    await eventually(() => Object.values(clients).every((entry) => entry.view().state.seq === head));
    const before = { stored: storedCounts(suite.server, sessionId), received: Object.values(clients).map((entry) => entry.events.length) };
    const ack = (await sender.socket.timeout(5_000).emitWithAck('session:command', { sessionId, clientMsgId: randomUUID(), type, input })) as TCommandAck;
    assert.deepEqual(ack, { ok: false, error }, `${type} ${JSON.stringify(input)}`);
    // Time for a stray broadcast to arrive, were there one.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual({ stored: storedCounts(suite.server, sessionId), received: Object.values(clients).map((entry) => entry.events.length) }, before, `${type}: nothing stored, nothing sent`);
  }

  test('[T34][S35] two tabs of one head, and the head with their designated delegate, vote at once: exactly one ballot, the other "already voted"', async () => {
    const { sessionId, clients } = await liveRoom('delegate.montreal');
    const secondTab = await suite.join('head.seoul', sessionId);
    const montreal = client(clients, 'head.montreal');
    assert.ok((await montreal.connection.send('decision.designate', { userId: userIdOf(suite.server, demoEmail('delegate.montreal')) })).ok);
    const decisionId = decisionIdOf(await client(clients, 'chair').connection.send('decision.put', { subject: { kind: 'procedural', text: 'Close the list of speakers' }, method: 'majority', ballot: 'secret' }));
    const seoulAcks = await Promise.all([client(clients, 'head.seoul').connection.send('decision.vote', { decisionId, choice: 'yes' }), secondTab.connection.send('decision.vote', { decisionId, choice: 'no' })]);
    const montrealAcks = await Promise.all([montreal.connection.send('decision.vote', { decisionId, choice: 'yes' }), client(clients, 'delegate.montreal').connection.send('decision.vote', { decisionId, choice: 'no' })]);
    for (const acks of [seoulAcks, montrealAcks]) {
      assert.equal(acks.filter((ack) => ack.ok).length, 1);
      assert.deepEqual(acks.find((ack) => !ack.ok), { ok: false, error: 'already_voted' });
    }
    const rows = withServerDatabase(suite.server, (db) => ({
      voters: (db.prepare('SELECT COUNT(*) AS n FROM decision_voters WHERE decision_id = ?').get(decisionId) as { n: number }).n,
      ballots: (db.prepare('SELECT COUNT(*) AS n FROM secret_ballots WHERE decision_id = ?').get(decisionId) as { n: number }).n,
    }));
    assert.deepEqual(rows, { voters: 2, ballots: 2 });
  });

  test('[T35][S37] ballots before a question exists or after it closed are refused; a close racing ballots counts exactly the acknowledged ones', async () => {
    const { sessionId, clients } = await liveRoom();
    const seoul = client(clients, 'head.seoul');
    await refusedQuietly(sessionId, clients, seoul, 'decision.vote', { decisionId: randomUUID(), choice: 'yes' }, 'not_found');
    const decisionId = decisionIdOf(await client(clients, 'chair').connection.send('decision.put', { subject: { kind: 'procedural', text: 'Suspend for lunch' }, method: 'majority', ballot: 'roll_call' }));
    const racing = await Promise.all([
      ...HEADS.slice(0, 2).map((head) => client(clients, head).connection.send('decision.vote', { decisionId, choice: 'yes' })),
      client(clients, 'chair').connection.send('decision.close', { decisionId }),
      ...HEADS.slice(2).map((head) => client(clients, head).connection.send('decision.vote', { decisionId, choice: 'no' })),
    ]);
    const ballots = racing.filter((_, index) => index !== 2);
    for (const ack of ballots) assert.ok(ack.ok || ack.error === 'decision_closed', JSON.stringify(ack));
    await eventually(() => seoul.view().state.decisions.questions[0]?.result !== null);
    const tally = seoul.view().state.decisions.questions[0]?.result?.tally;
    assert.equal((tally?.yes ?? 0) + (tally?.no ?? 0), ballots.filter((ack) => ack.ok).length, 'every acknowledged ballot, and only those, counted');
    await refusedQuietly(sessionId, clients, client(clients, 'head.johannesburg'), 'decision.vote', { decisionId, choice: 'yes' }, 'decision_closed');
    await refusedQuietly(sessionId, clients, client(clients, 'chair'), 'decision.close', { decisionId }, 'decision_closed');
  });

  test('[T36][T37][T29][S35][S36][S44] observers, undesignated delegates, votes for another delegation and smuggled fields are refused; nothing stored or sent', async () => {
    const { sessionId, clients } = await liveRoom('delegate.seoul', 'delegate.montreal', 'observer');
    const metropolis = demoNegotiations(suite.server).metropolis;
    const barcelonaDelegation = withServerDatabase(suite.server, (db) => (db.prepare("SELECT d.id FROM delegations d JOIN actors a ON a.id = d.actor_id WHERE a.name = 'Barcelona' AND d.negotiation_id = ?").get(metropolis) as { id: string }).id);
    const consensus = decisionIdOf(await client(clients, 'chair').connection.send('decision.put', { subject: { kind: 'procedural', text: 'Adopt the agenda' }, method: 'consensus', silenceSeconds: 600 }));
    const refusals: [TAccount, string, unknown, string][] = [
      ['observer', 'decision.object', { decisionId: consensus, reason: 'We object' }, 'forbidden'],
      ['delegate.seoul', 'decision.object', { decisionId: consensus, reason: 'Not designated' }, 'not_designated'],
      ['head.montreal', 'decision.object', { decisionId: consensus, reason: '' }, 'reason_required'],
      ['head.montreal', 'decision.object', { decisionId: consensus, reason: 'For Barcelona', delegationId: barcelonaDelegation }, 'invalid_input'],
      ['head.montreal', 'decision.object', JSON.parse(`{"decisionId":"${consensus}","reason":"x","__proto__":{"delegationId":"${barcelonaDelegation}"}}`), 'invalid_input'],
      ['head.montreal', 'decision.vote', { decisionId: consensus, choice: 'yes', userId: userIdOf(suite.server, demoEmail('head.barcelona')) }, 'invalid_input'],
      ['head.montreal', 'decision.vote', { decisionId: consensus, choice: 'maybe' }, 'invalid_input'],
      ['head.montreal', 'decision.close', { decisionId: consensus }, 'forbidden'],
      ['head.montreal', 'decision.put', { subject: { kind: 'procedural', text: 'Ours' }, method: 'majority', ballot: 'roll_call' }, 'forbidden'],
      ['chair', 'decision.put', { subject: { kind: 'procedural', text: 'Another' }, method: 'majority', ballot: 'roll_call' }, 'question_open'],
      ['chair', 'decision.close', { decisionId: consensus }, 'deadline_not_reached'],
      // A head designates only a delegate of their own delegation.
      ['head.seoul', 'decision.designate', { userId: userIdOf(suite.server, demoEmail('delegate.montreal')) }, 'not_found'],
      ['delegate.montreal', 'decision.designate', { userId: userIdOf(suite.server, demoEmail('delegate.montreal')) }, 'forbidden'],
    ];
    for (const [account, type, input, error] of refusals) await refusedQuietly(sessionId, clients, client(clients, account), type, input, error);
    // The delegate's objection, once designated, is Seoul's, whatever the client says.
    assert.ok((await client(clients, 'head.seoul').connection.send('decision.designate', { userId: userIdOf(suite.server, demoEmail('delegate.seoul')) })).ok);
    assert.ok((await client(clients, 'delegate.seoul').connection.send('decision.object', { decisionId: consensus, reason: 'Our capital must be consulted.' })).ok);
    await eventually(() => client(clients, 'observer').view().state.decisions.questions[0]?.objection !== null);
    const seoulDelegation = withServerDatabase(suite.server, (db) => (db.prepare("SELECT d.id FROM delegations d JOIN actors a ON a.id = d.actor_id WHERE a.name = 'Seoul' AND d.negotiation_id = ?").get(metropolis) as { id: string }).id);
    assert.equal(client(clients, 'observer').view().state.decisions.questions[0]?.objection?.delegationId, seoulDelegation);
  });

  test('[T38][T31][S39][S45] a secret ballot: what the server stores beside each voter and sends to anyone carries no choice; a retry, even with another choice, is the first ballot', async () => {
    const { sessionId, clients } = await liveRoom('observer');
    const decisionId = decisionIdOf(await client(clients, 'chair').connection.send('decision.put', { subject: { kind: 'procedural', text: 'Elect the rapporteur' }, method: 'majority', ballot: 'secret' }));
    const montreal = client(clients, 'head.montreal');
    const first = await montreal.connection.send('decision.vote', { decisionId, choice: 'no' }, 'ballot-montreal-1');
    assert.ok(first.ok);
    const before = storedCounts(suite.server, sessionId);
    assert.deepEqual(await montreal.connection.send('decision.vote', { decisionId, choice: 'no' }, 'ballot-montreal-1'), first, 'a retry gets the first acknowledgement');
    assert.deepEqual(await montreal.connection.send('decision.vote', { decisionId, choice: 'yes' }, 'ballot-montreal-1'), first, 'the same ballot, whatever the retry says');
    assert.deepEqual(storedCounts(suite.server, sessionId), before);
    for (const head of HEADS.slice(1)) assert.ok((await client(clients, head).connection.send('decision.vote', { decisionId, choice: 'yes' })).ok);
    await eventually(() => openQuestion(client(clients, 'observer').view().state)?.voted.length === 4);

    const stored = withServerDatabase(suite.server, (db) => ({
      events: (db.prepare("SELECT payload FROM session_events WHERE session_id = ? AND type = 'decision.ballot_cast'").all(sessionId) as { payload: string }[]).map((row) => row.payload),
      commands: db.prepare("SELECT * FROM session_commands WHERE session_id = ? AND command_type = 'decision.vote'").all(sessionId) as Record<string, unknown>[],
      ballotColumns: (db.prepare('PRAGMA table_info(secret_ballots)').all() as { name: string }[]).map((column) => column.name),
    }));
    for (const payload of stored.events) assert.equal((JSON.parse(payload) as { choice: unknown }).choice, null);
    assert.equal(new Set(stored.commands.map((row) => row.command_hash)).size, 1, 'one hash for every ballot on the question: it says nothing of the choice');
    for (const row of stored.commands) assert.doesNotMatch(String(row.ack), /yes|no|abstain/);
    assert.deepEqual(stored.ballotColumns.sort(), ['ballot_id', 'choice', 'decision_id']);
    for (const entry of Object.values(clients)) {
      for (const event of entry.events.filter((candidate) => candidate.type === 'decision.ballot_cast')) assert.equal((event.payload as { choice: unknown }).choice, null);
    }
    assert.ok((await client(clients, 'chair').connection.send('decision.close', { decisionId })).ok);
    await eventually(() => client(clients, 'observer').view().state.decisions.questions[0]?.result?.tally?.yes === 3);
    assert.equal(client(clients, 'observer').view().state.decisions.questions[0]?.result?.tally?.no, 1, 'the first ballot stood');
  });

  test('[T39] a head demoted mid-vote cannot cast the delegation’s ballot with the next command', async () => {
    const { sessionId, clients } = await liveRoom();
    const decisionId = decisionIdOf(await client(clients, 'chair').connection.send('decision.put', { subject: { kind: 'procedural', text: 'Refer to the drafting group' }, method: 'majority', ballot: 'roll_call' }));
    const barcelona = userIdOf(suite.server, demoEmail('head.barcelona'));
    const setRole = (role: string) => withServerDatabase(suite.server, (db) => db.prepare('UPDATE memberships SET role = ? WHERE user_id = ? AND negotiation_id = ?').run(role, barcelona, demoNegotiations(suite.server).metropolis), true);
    setRole('adviser');
    try {
      await refusedQuietly(sessionId, clients, client(clients, 'head.barcelona'), 'decision.vote', { decisionId, choice: 'yes' }, 'forbidden');
    } finally {
      setRole('head');
    }
    assert.ok((await client(clients, 'head.barcelona').connection.send('decision.vote', { decisionId, choice: 'yes' })).ok);
  });
});
