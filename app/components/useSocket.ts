'use client';

import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, SOCKET_PATH } from '@/lib/shared/protocol';
import { socketParser } from '@/lib/shared/socket-parser';

/** One socket.io connection for the page, authenticated by the session cookie; null until mounted. */
export function useSocket(): Socket | null {
  const [socket, setSocket] = useState<Socket | null>(null);
  useEffect(() => {
    // H11: the server accepts WebSocket only (polling, and its JSONP variant, are not served).
    const connection = io({ path: SOCKET_PATH, parser: socketParser, auth: { protocol: PROTOCOL_VERSION }, transports: ['websocket'] });
    // The connection is an external system that exists only in the browser, after mount.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSocket(connection);
    return () => {
      connection.close();
    };
  }, []);
  return socket;
}
