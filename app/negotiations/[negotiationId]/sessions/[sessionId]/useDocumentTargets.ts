'use client';

import { useCallback, useEffect, useState } from 'react';
import type { TParagraphSummary } from '@/lib/server/documents/document-paragraphs';

/** An amendment open for decision, as positions name it. */
export interface TOpenAmendment {
  id: string;
  pid: string;
  delegationId: string;
}

export interface TDocumentTargets {
  status: 'loading' | 'ready' | 'failed';
  paragraphs: TParagraphSummary[];
  amendments: TOpenAmendment[];
  reload: () => void;
}

/**
 * The paragraphs and the amendments open for decision of one document, read from the server (the
 * room's state holds positions by paragraph id; the text lives with the document).
 */
export function useDocumentTargets(documentId: string | null): TDocumentTargets {
  const [loaded, setLoaded] = useState<Omit<TDocumentTargets, 'reload'> & { documentId: string | null }>({ documentId: null, status: 'loading', paragraphs: [], amendments: [] });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!documentId) return;
    const controller = new AbortController();
    const read = async <T,>(path: string): Promise<T> => {
      const response = await fetch(`/api/documents/${documentId}/${path}`, { signal: controller.signal });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return (await response.json()) as T;
    };
    Promise.all([read<{ paragraphs: TParagraphSummary[] }>('paragraphs'), read<{ amendments: (TOpenAmendment & { status: string })[] }>('amendments')])
      .then(([{ paragraphs }, { amendments }]) => {
        const open = amendments.filter((amendment) => amendment.status === 'proposed').map(({ id, pid, delegationId }) => ({ id, pid, delegationId }));
        setLoaded({ documentId, status: 'ready', paragraphs, amendments: open });
      })
      .catch(() => {
        if (!controller.signal.aborted) setLoaded({ documentId, status: 'failed', paragraphs: [], amendments: [] });
      });
    return () => controller.abort();
  }, [documentId, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  // Until the current document's answer arrives, say so rather than show another document's paragraphs.
  return loaded.documentId === documentId ? { ...loaded, reload } : { status: 'loading', paragraphs: [], amendments: [], reload };
}
