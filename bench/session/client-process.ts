/**
 * One process of simulated session participants (bench/session/run.ts forks a few): each person has
 * their own socket.io connection with their own session cookie and loopback address, joins the room
 * (docs/PROTOCOL.md S1), notes when the events it is told to watch (`session:events`) arrive, and
 * sends the commands the orchestrator schedules for it (ballots), recording when each was
 * acknowledged. Everything, the participants' cookies included, comes over IPC: a command line or
 * an environment holds ~128 KiB at most, a few hundred cookies (spawn E2BIG).
 */
import { io, type Socket } from 'socket.io-client';
import type { TCommandAck } from '../../lib/session/room/commands';
import { PROTOCOL_VERSION, SOCKET_PATH } from '../../lib/shared/protocol';
import { socketParser } from '../../lib/shared/socket-parser';
import { now } from '../codrafting/adapters/types';

export interface TParticipantSpec {
  cookie: string;
  localAddress: string;
}

export interface TClientConfig {
  url: string;
  sessionId: string;
  participants: TParticipantSpec[];
}

/** A command for one participant of this process, `delayMs` after the plan arrives. */
export interface TPlannedCommand {
  participant: number;
  delayMs: number;
  type: string;
  input: unknown;
  clientMsgId: string;
}

export type TToSessionClient =
  | { type: 'join'; config: TClientConfig }
  /** From now on, note the arrival of every event from `fromSeq` on (what came before is the joins' attendance). */
  | { type: 'watch'; fromSeq: number }
  | { type: 'send'; plan: TPlannedCommand[] }
  | { type: 'report' }
  | { type: 'stop' };

export interface TSentCommand {
  participant: number;
  clientMsgId: string;
  sentAt: number;
  ackAt: number;
  ack: TCommandAck | { ok: false; error: 'timeout' };
}

export type TFromSessionClient =
  | { type: 'ready'; joined: number; failed: string[] }
  | { type: 'sent'; results: TSentCommand[] }
  /** Per participant: seq, arrival time, seq, arrival time… of every watched event received. */
  | { type: 'arrivals'; arrivals: Float64Array[] };

let config: TClientConfig | undefined;
/** By participant index; a participant whose join failed has no socket. */
const sockets: (Socket | undefined)[] = [];
let arrivals: number[][] = [];
let watchFrom = Infinity;
const send = (message: TFromSessionClient) => process.send?.(message);

function join(room: TClientConfig, spec: TParticipantSpec, index: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(room.url, {
      path: SOCKET_PATH,
      parser: socketParser,
      transports: ['websocket'],
      extraHeaders: { cookie: spec.cookie },
      auth: { protocol: PROTOCOL_VERSION },
      reconnection: false,
      forceNew: true,
      // Passed through to the WebSocket (ws) of Node: one source address per person, as browsers would have.
      ...{ localAddress: spec.localAddress },
    });
    socket.on('session:events', (message: { sessionId: string; events: { seq: number }[] }) => {
      if (message.sessionId !== room.sessionId) return;
      const at = now();
      for (const event of message.events) if (event.seq >= watchFrom) arrivals[index]?.push(event.seq, at);
    });
    socket.on('connect_error', (error) => reject(error));
    socket.on('connect', () => {
      socket.emit('session:join', { sessionId: room.sessionId }, (ack: { ok: boolean; error?: string }) => {
        if (ack.ok) resolve(socket);
        else reject(new Error(`session:join refused: ${ack.error}`));
      });
    });
  });
}

async function joinAll(room: TClientConfig): Promise<void> {
  config = room;
  arrivals = room.participants.map(() => []);
  const failed: string[] = [];
  // A few at a time, as people arrive: the server limits handshakes per address, not in total.
  for (let start = 0; start < room.participants.length; start += 10) {
    const batch = room.participants.slice(start, start + 10);
    const joined = await Promise.allSettled(batch.map((spec, offset) => join(room, spec, start + offset)));
    joined.forEach((outcome, offset) => {
      if (outcome.status === 'fulfilled') sockets[start + offset] = outcome.value;
      else failed.push(String(outcome.reason));
    });
  }
  send({ type: 'ready', joined: sockets.filter(Boolean).length, failed: failed.slice(0, 5) });
}

async function runPlan(room: TClientConfig, plan: TPlannedCommand[]): Promise<TSentCommand[]> {
  return Promise.all(
    plan.map(
      (command) =>
        new Promise<TSentCommand>((resolve) => {
          setTimeout(() => {
            const socket = sockets[command.participant];
            const sentAt = now();
            socket
              ?.timeout(10_000)
              .emitWithAck('session:command', { sessionId: room.sessionId, clientMsgId: command.clientMsgId, type: command.type, input: command.input })
              .then((ack: TCommandAck) => resolve({ participant: command.participant, clientMsgId: command.clientMsgId, sentAt, ackAt: now(), ack }))
              .catch(() => resolve({ participant: command.participant, clientMsgId: command.clientMsgId, sentAt, ackAt: now(), ack: { ok: false, error: 'timeout' } }));
          }, command.delayMs);
        }),
    ),
  );
}

process.on('message', (message: TToSessionClient) => {
  if (message.type === 'join') void joinAll(message.config);
  else if (message.type === 'watch') watchFrom = message.fromSeq;
  else if (message.type === 'send') {
    if (config) void runPlan(config, message.plan).then((results) => send({ type: 'sent', results }));
  } else if (message.type === 'report') send({ type: 'arrivals', arrivals: arrivals.map((list) => Float64Array.from(list)) });
  else {
    for (const socket of sockets) socket?.disconnect();
    process.exit(0);
  }
});
