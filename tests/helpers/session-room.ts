/** Session room clients for tests: a signed-in socket in a room, kept current by the real room connection. */
import { openSqlite } from '../../lib/db/sqlite';
import { findUserByEmail } from '../../lib/db/repositories/people';
import { listSessionEvents } from '../../lib/db/repositories/sessions';
import { scheduleSession } from '../../lib/server/negotiations/schedule-session';
import { foldSessionRoom } from '../../lib/session/room/reduce';
import { SessionRoomConnection } from '../../lib/session/room/room-client';
import type { TRoomEvent, TSessionRoomState } from '../../lib/session/room/state';
import type { TSessionRoomView } from '../../lib/session/room/view';
import type { TRole } from '../../lib/shared/domain';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { TCommandAck, TCommandResult } from '../../lib/session/room/commands';
import { demoCookie } from './documents';
import { demoEmail, demoNegotiations, withServerDatabase } from './demo-data';
import { buildMembership, buildUser, TEST_PASSWORD } from './factories';
import { Browserless, eventually } from './http';
import { connectSocket } from './live';
import { startServer, type TRunningServer } from './server';
import type { Socket } from 'socket.io-client';

export interface TRoomClient {
  socket: Socket;
  connection: SessionRoomConnection;
  /** The view as this client has folded it. */
  view(): TSessionRoomView;
  /** Every event this client received (`session:events`), in order. */
  events: TRoomEvent[];
  close(): void;
}

/** Schedules a new session of the Metropolis negotiation through the use case, as its secretariat. */
export async function scheduleMetropolisSession(server: TRunningServer, title: string): Promise<string> {
  const db = openSqlite(server.sqlitePath);
  try {
    const secretariat = await findUserByEmail(db, demoEmail('secretariat'));
    if (!secretariat) throw new Error('no demo secretariat');
    const session = await scheduleSession(db, secretariat, demoNegotiations(server).metropolis, { title, scheduledStart: new Date(Date.now() + 86_400_000).toISOString() });
    return session.id;
  } finally {
    await db.close();
  }
}

/** New people of the Metropolis negotiation with `role` (the demo has no interpreters, say), signed in. */
export async function signedInMetropolisMembers(server: TRunningServer, role: TRole, names: readonly string[]): Promise<{ id: string; cookie: string }[]> {
  const db = openSqlite(server.sqlitePath);
  const members: { id: string; cookie: string }[] = [];
  try {
    for (const name of names) {
      const user = await buildUser(db, { name });
      await buildMembership(db, demoNegotiations(server).metropolis, user, role);
      const client = new Browserless(server.url);
      if (!(await client.signIn(user.email, TEST_PASSWORD))) throw new Error(`${name} could not sign in`);
      members.push({ id: user.id, cookie: client.cookieHeader() });
    }
  } finally {
    await db.close();
  }
  return members;
}

/** A new Metropolis session, opened (live) by the chair, who stays in its room. */
export async function liveMetropolisSession(suite: Pick<TRoomSuite<'chair'>, 'server' | 'join'>, title: string): Promise<{ sessionId: string; chair: TRoomClient }> {
  const sessionId = await scheduleMetropolisSession(suite.server, `${title} ${Math.random().toString(36).slice(2, 10)}`);
  const chair = await suite.join('chair', sessionId);
  await accepted(chair.connection.send('session.set_status', { status: 'live' }));
  return { sessionId, chair };
}

/** Connects with a cookie and joins a session's room; resolves once the room's state arrived. */
export async function joinRoom(server: TRunningServer, cookie: string, sessionId: string): Promise<TRoomClient> {
  const outcome = await connectSocket(server.url, { cookie });
  if (outcome.kind !== 'welcome') throw new Error(`socket refused: ${outcome.message}`);
  const events: TRoomEvent[] = [];
  outcome.socket.on('session:events', (message: { events: TRoomEvent[] }) => events.push(...message.events));
  const connection = new SessionRoomConnection(outcome.socket, sessionId);
  await eventually(() => connection.status === 'refused' || (connection.status === 'joined' && connection.view !== null));
  return {
    socket: outcome.socket,
    connection,
    view: () => {
      if (!connection.view) throw new Error(`no view (status ${connection.status})`);
      return connection.view;
    },
    events,
    close: () => {
      connection.destroy();
      outcome.socket.close();
    },
  };
}

/** The room replayed from the server's stored log, up to `seq`. */
export async function replayRoom(server: TRunningServer, sessionId: string, seq: number): Promise<TSessionRoomState> {
  const db = openSqlite(server.sqlitePath);
  try {
    return foldSessionRoom(sessionId, (await listSessionEvents(db, sessionId)).filter((event) => event.seq <= seq));
  } finally {
    await db.close();
  }
}

/** The result of a command that must have been accepted (fails the test otherwise). */
export async function accepted(ack: Promise<TCommandAck>): Promise<TCommandResult> {
  const result = await ack;
  assert.ok(result.ok, `accepted: ${JSON.stringify(result)}`);
  return result.result ?? {};
}

/** Rows of the session's log and of its stored commands: what a refusal must leave alone. */
export function storedCounts(server: TRunningServer, sessionId: string): { events: number; commands: number } {
  return withServerDatabase(server, (db) => ({
    events: (db.prepare('SELECT COUNT(*) AS n FROM session_events WHERE session_id = ?').get(sessionId) as { n: number }).n,
    commands: (db.prepare('SELECT COUNT(*) AS n FROM session_commands WHERE session_id = ?').get(sessionId) as { n: number }).n,
  }));
}

export interface TRoomSuite<Account extends string> {
  readonly server: TRunningServer;
  /** A session cookie per demo account, signed in before the tests. */
  readonly cookies: Record<Account, string>;
  /** Joins a room and closes it after the suite. */
  join(account: Account, sessionId: string): Promise<TRoomClient>;
  /** A new session of the Metropolis negotiation and the given people in its room. */
  room<Accounts extends Account>(...accounts: Accounts[]): Promise<{ sessionId: string } & Record<Accounts, TRoomClient>>;
  /** Closes a client after the suite. */
  keep(client: TRoomClient): TRoomClient;
}

/**
 * One real server for a suite, with the accounts signed in; every client it opened is closed after.
 * `env` is read when the server starts (after the suite's earlier `before` hooks, e.g. a fake LiveKit).
 */
export function useRoomSuite<Account extends string>(accounts: readonly Account[], env: () => Record<string, string> = () => ({})): TRoomSuite<Account> {
  let running: TRunningServer | undefined;
  const cookies = {} as Record<Account, string>;
  const open: TRoomClient[] = [];
  before(async () => {
    running = await startServer({ env: env() });
    for (const account of accounts) cookies[account] = await demoCookie(running, account);
  });
  after(async () => {
    for (const client of open.splice(0)) client.close();
    await running?.stop();
  });
  const suite: TRoomSuite<Account> = {
    get server() {
      if (!running) throw new Error('the suite’s server is not running yet');
      return running;
    },
    cookies,
    keep(client) {
      open.push(client);
      return client;
    },
    async join(account, sessionId) {
      return suite.keep(await joinRoom(suite.server, cookies[account], sessionId));
    },
    async room<Accounts extends Account>(...accounts: Accounts[]) {
      const sessionId = await scheduleMetropolisSession(suite.server, `Room test ${Math.random().toString(36).slice(2)}`);
      const clients = {} as Record<Accounts, TRoomClient>;
      for (const account of accounts) clients[account] = await suite.join(account, sessionId);
      return { sessionId, ...clients };
    },
  };
  return suite;
}
