/**
 * The browser's side of a session room (docs/PROTOCOL.md S1, S20): joins over the page's socket,
 * keeps the view current by folding each event of `session:events` with the same reducer as the server, joins
 * again after a reconnect, and sends commands with a client message id that a retry repeats. Used by
 * the room page and by the tests, so both speak the protocol the same way.
 */
import type { Socket } from 'socket.io-client';
import type { TRoomJoinAck } from '../../shared/protocol';
import type { TCommandAck, TSessionCommandInput, TSessionCommandType } from './commands';
import { reduceSessionRoom } from './reduce';
import type { TRoomEvent } from './state';
import type { TRoomDirectory, TSessionRoomView } from './view';

export type TRoomConnectionStatus = 'joining' | 'joined' | 'offline' | 'refused' | 'gone';

export interface TRoomConnectionListener {
  view?: (view: TSessionRoomView) => void;
  status?: (status: TRoomConnectionStatus) => void;
}

/** How long to wait for an acknowledgement before sending the same command again. */
const ACK_TIMEOUT_MS = 5_000;
const ATTEMPTS = 3;

function newClientMsgId(): string {
  return globalThis.crypto.randomUUID();
}

export class SessionRoomConnection {
  private current: TSessionRoomView | null = null;
  private state: TRoomConnectionStatus = 'joining';
  /** Browser clock minus server clock, from the last view (S13). */
  private offsetMs = 0;
  private joinedOnce: Promise<void>;
  private markJoined: () => void = () => undefined;

  constructor(
    private readonly socket: Socket,
    readonly sessionId: string,
    private readonly listener: TRoomConnectionListener = {},
  ) {
    this.joinedOnce = this.waitForJoin();
    socket.on('session:state', this.onState);
    socket.on('session:events', this.onEvents);
    socket.on('session:directory', this.onDirectory);
    socket.on('session:access', this.onAccess);
    socket.on('connect', this.join);
    socket.on('disconnect', this.onDisconnect);
    if (socket.connected) this.join();
  }

  get view(): TSessionRoomView | null {
    return this.current;
  }

  get status(): TRoomConnectionStatus {
    return this.state;
  }

  /** The server's clock now, as well as this browser can tell. */
  serverNow(): number {
    return Date.now() - this.offsetMs;
  }

  private waitForJoin(): Promise<void> {
    return new Promise((resolve) => (this.markJoined = resolve));
  }

  private setStatus(status: TRoomConnectionStatus): void {
    this.state = status;
    this.listener.status?.(status);
  }

  private publish(view: TSessionRoomView): void {
    this.current = view;
    this.listener.view?.(view);
  }

  private readonly join = (): void => {
    if (this.state === 'gone') return;
    this.setStatus('joining');
    this.socket.emit('session:join', { sessionId: this.sessionId }, (ack: TRoomJoinAck) => {
      if (!ack.ok) return this.setStatus('refused');
      this.setStatus('joined');
      this.markJoined();
    });
  };

  private readonly onDisconnect = (): void => {
    if (this.state === 'gone' || this.state === 'refused') return;
    this.setStatus('offline');
    this.joinedOnce = this.waitForJoin();
  };

  private readonly onState = (view: TSessionRoomView): void => {
    if (view.sessionId !== this.sessionId) return;
    this.offsetMs = Date.now() - view.serverNow;
    this.publish(view);
  };

  private readonly onEvents = (message: { sessionId: string; events: TRoomEvent[] }): void => {
    if (message.sessionId !== this.sessionId || !this.current) return;
    const state = message.events.reduce(reduceSessionRoom, this.current.state);
    if (state !== this.current.state) this.publish({ ...this.current, state });
  };

  private readonly onDirectory = (message: { sessionId: string; directory: TRoomDirectory }): void => {
    if (message.sessionId !== this.sessionId || !this.current) return;
    this.publish({ ...this.current, directory: message.directory });
  };

  private readonly onAccess = (message: { sessionId: string }): void => {
    if (message.sessionId === this.sessionId) this.setStatus('gone');
  };

  /**
   * Sends a command once joined, and again with the same client message id when no acknowledgement
   * comes in time (the server answers a retry with the first acknowledgement, S20).
   */
  async send<Type extends TSessionCommandType>(type: Type, input: TSessionCommandInput<Type>, clientMsgId = newClientMsgId()): Promise<TCommandAck> {
    for (let attempt = 1; ; attempt += 1) {
      await this.joinedOnce;
      try {
        return (await this.socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck('session:command', { sessionId: this.sessionId, clientMsgId, type, input })) as TCommandAck;
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /** Leaves the room and stops listening. */
  destroy(): void {
    this.setStatus('gone');
    for (const [event, handler] of [
      ['session:state', this.onState],
      ['session:events', this.onEvents],
      ['session:directory', this.onDirectory],
      ['session:access', this.onAccess],
      ['connect', this.join],
      ['disconnect', this.onDisconnect],
    ] as const) {
      this.socket.off(event, handler as (...args: never[]) => void);
    }
    if (this.socket.connected) this.socket.emit('session:leave', { sessionId: this.sessionId });
  }
}
