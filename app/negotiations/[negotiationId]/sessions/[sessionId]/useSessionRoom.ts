'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { TCommandAck, TRoomRefusal, TSessionCommandInput, TSessionCommandType } from '@/lib/session/room/commands';
import { SessionRoomConnection, type TRoomConnectionStatus } from '@/lib/session/room/room-client';
import type { TRoomDirectory, TSessionRoomView } from '@/lib/session/room/view';
import { clockDuration } from '@/lib/session/speaking-time';

/** Runs one command and reports whether it was accepted; a refusal's code is shown by the room. */
export type TRunCommand = <Type extends TSessionCommandType>(type: Type, input: TSessionCommandInput<Type>) => Promise<boolean>;

export interface TRoomNames {
  delegation: (delegationId: string | null) => string | null;
  person: (userId: string | null) => string | null;
}

/** Looks up the names a room's state refers to by id (the live room and the replay). */
export function namesOf(directory: TRoomDirectory | undefined): TRoomNames {
  const delegations = new Map(directory?.delegations.map((entry) => [entry.delegationId, entry.name]));
  const people = new Map(directory?.people.map((entry) => [entry.userId, entry.name]));
  return {
    delegation: (id) => (id === null ? null : (delegations.get(id) ?? null)),
    person: (id) => (id === null ? null : (people.get(id) ?? null)),
  };
}

/** The room over the page's socket: the view, the connection status, and a way to send commands. */
export function useSessionRoom(socket: Socket, sessionId: string) {
  const [view, setView] = useState<TSessionRoomView | null>(null);
  const [status, setStatus] = useState<TRoomConnectionStatus>('joining');
  const [refusal, setRefusal] = useState<TRoomRefusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [connection, setConnection] = useState<SessionRoomConnection | null>(null);
  useEffect(() => {
    const joined = new SessionRoomConnection(socket, sessionId, { view: setView, status: setStatus });
    // The room connection lives on the socket, an external system that exists only after mount.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setConnection(joined);
    return () => joined.destroy();
  }, [socket, sessionId]);

  const run: TRunCommand = useCallback(
    async (type, input) => {
      setBusy(true);
      setRefusal(null);
      let ack: TCommandAck;
      try {
        if (!connection) throw new Error('not connected yet');
        ack = await connection.send(type, input);
      } catch {
        ack = { ok: false, error: 'internal' };
      }
      setBusy(false);
      if (!ack.ok) setRefusal(ack.error);
      return ack.ok;
    },
    [connection],
  );

  const names = useMemo(() => namesOf(view?.directory), [view?.directory]);

  const serverNow = useCallback(() => connection?.serverNow() ?? Date.now(), [connection]);
  return { view, status, refusal, busy, run, names, serverNow, dismissRefusal: () => setRefusal(null) };
}

/** The server's clock, re-read four times a second while `ticking` (a speech runs), for the timer (S13). */
export function useServerClock(ticking: boolean, serverNow: () => number): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const tick = () => setNow(serverNow());
    const first = setTimeout(tick, 0);
    if (!ticking) return () => clearTimeout(first);
    const interval = setInterval(tick, 250);
    return () => {
      clearTimeout(first);
      clearInterval(interval);
    };
  }, [ticking, serverNow]);
  return now;
}

/**
 * A countdown's time in milliseconds, written like every duration (`clockDuration`, M8). A countdown
 * rounds up, so it shows 0:00 only once the time is over; spoken time is the record's whole seconds.
 */
export function formatDuration(ms: number): string {
  return clockDuration(Math.ceil(Math.abs(ms) / 1000));
}
