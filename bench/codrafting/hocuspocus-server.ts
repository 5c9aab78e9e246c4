/**
 * The peer under test: @hocuspocus/server with @hocuspocus/extension-sqlite, default settings (store
 * debounce 2 s, broadcasts coalesced per event-loop turn). Started by run.ts as its own process.
 * Environment: PORT (0 = any), HOST, SQLITE_FILE. Prints one JSON line
 * {"event":"server.listening","port":N} once it accepts connections; stops on SIGTERM.
 *
 * To match Proxenia's observers, a connection whose token is `viewer` is read-only (Hocuspocus'
 * `connectionConfig.readOnly`): the server then refuses its content, as Proxenia does (D4).
 */
import { SQLite } from '@hocuspocus/extension-sqlite';
import { Server } from '@hocuspocus/server';

const server = new Server({
  port: Number(process.env.PORT ?? 0),
  address: process.env.HOST ?? '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
  extensions: [new SQLite({ database: process.env.SQLITE_FILE ?? ':memory:' })],
  async onAuthenticate({ token, connectionConfig }) {
    if (token === 'viewer') connectionConfig.readOnly = true;
  },
});

await server.listen();
process.stdout.write(`${JSON.stringify({ event: 'server.listening', port: server.address.port })}\n`);
