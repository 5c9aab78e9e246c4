'use client';

import { useCallback, useEffect, useState } from 'react';
import type { Socket } from 'socket.io-client';

type TListEvent = 'doc:amendments' | 'doc:comments' | 'doc:brackets';

/**
 * A document's list kept fresh: loaded once, again on every change notice for the document (D12–D14)
 * and after a reconnect; `post` sends an action and reloads. Errors are the server's stable codes.
 */
export function useLiveList<TItem>(options: {
  documentId: string;
  socket: Socket;
  event: TListEvent;
  /** The list's route below /api/documents/<id>/, also the key of the list in its JSON. */
  resource: 'amendments' | 'comments' | 'brackets';
  onLoaded?: (items: TItem[]) => void;
}) {
  const { documentId, socket, event, resource, onLoaded } = options;
  const [items, setItems] = useState<TItem[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/documents/${documentId}/${resource}`;

  const refresh = useCallback(async () => {
    const response = await fetch(base, { cache: 'no-store' }).catch(() => null);
    if (response?.ok) {
      const loaded = ((await response.json()) as Record<string, TItem[]>)[resource] ?? [];
      setItems(loaded);
      onLoaded?.(loaded);
    }
    setLoading(false);
  }, [base, resource, onLoaded]);

  useEffect(() => {
    const onChange = (payload: { documentId: string }) => {
      if (payload.documentId === documentId) void refresh();
    };
    socket.on(event, onChange);
    socket.on('connect', refresh);
    // The first load, like the later ones, sets state only once the response is in.
    const initial = setTimeout(() => void refresh(), 0);
    return () => {
      clearTimeout(initial);
      socket.off(event, onChange);
      socket.off('connect', refresh);
    };
  }, [socket, documentId, event, refresh]);

  const post = async (path: string, body?: unknown): Promise<boolean> => {
    setBusy(true);
    setError(null);
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch(() => null);
    setBusy(false);
    if (!response?.ok) {
      setError(response ? (((await response.json().catch(() => ({}))) as { error?: string }).error ?? 'internal') : 'internal');
      return false;
    }
    await refresh();
    return true;
  };

  return { items, loading, error, busy, post };
}
