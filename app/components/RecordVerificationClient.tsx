'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

type TVerification = { ok: true; count: number; head: string } | { ok: false; badSeq: number; reason: 'chain' | 'truncated' | 'document_update' | 'chat_text' };

/**
 * R6: whether the session's record proves unaltered, checked by the server when the page opens
 * (a long record takes a moment, so it says it is checking). Shows the chain head people can
 * compare with `npm run verify-log`.
 */
export function RecordVerification({ sessionId }: { sessionId: string }) {
  const t = useTranslations('record');
  const [result, setResult] = useState<TVerification | 'checking' | 'unavailable'>('checking');
  useEffect(() => {
    const controller = new AbortController();
    fetch(`/api/sessions/${sessionId}/verification`, { signal: controller.signal, cache: 'no-store' })
      .then(async (response) => (response.ok ? setResult((await response.json()) as TVerification) : setResult('unavailable')))
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') setResult('unavailable');
      });
    return () => controller.abort();
  }, [sessionId]);

  if (result === 'checking') {
    return (
      <p className="cluster record-verification" role="status">
        <span className="spinner" aria-hidden="true" /> {t('checking')}
      </p>
    );
  }
  if (result === 'unavailable') return <p className="muted record-verification">{t('unavailable')}</p>;
  return (
    <p className="cluster record-verification" role="status" data-verified={result.ok}>
      {result.ok ? (
        <>
          <span className="badge ok">{t('verified')}</span>
          <span className="muted">
            {t('verifiedDetail', { count: result.count })} <code title={result.head}>{result.head.slice(0, 12)}…</code>
          </span>
        </>
      ) : (
        <>
          <span className="badge danger">{t('notVerified')}</span>
          <span>{t(`reasons.${result.reason}`, { seq: result.badSeq })}</span>
        </>
      )}
    </p>
  );
}
