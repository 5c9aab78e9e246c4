'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';

type TVerification = { ok: true; count: number; head: string } | { ok: false; badSeq: number; reason: 'chain' | 'truncated' | 'document_update' | 'chat_text' };

/** How often, at most, a live room's page asks again while its record grows (S87). */
const RECHECK_EVERY_MS = 5_000;

/** `value`, passed on at most once every `ms` (the latest one, once the wait is over). */
function useThrottled<T>(value: T, ms: number): T {
  const [passed, setPassed] = useState(value);
  const lastPassedAt = useRef(0);
  useEffect(() => {
    if (Object.is(value, passed)) return;
    const timer = setTimeout(() => {
      lastPassedAt.current = Date.now();
      setPassed(value);
    }, Math.max(0, lastPassedAt.current + ms - Date.now()));
    return () => clearTimeout(timer);
  }, [value, passed, ms]);
  return passed;
}

/**
 * R6: whether the session's record proves unaltered, checked by the server when the page opens
 * (a long record takes a moment, so it says it is checking). Shows the chain head people can
 * compare with `npm run verify-log`. S87: in the live room, `headSeq` (the room's position in its
 * log) moves with every event, and the record is checked again — at most every few seconds, and
 * the server walks only what is new — so the count follows the session.
 */
export function RecordVerification({ sessionId, headSeq }: { sessionId: string; headSeq?: number }) {
  const t = useTranslations('record');
  const [result, setResult] = useState<TVerification | 'checking' | 'unavailable'>('checking');
  const checkAt = useThrottled(headSeq, RECHECK_EVERY_MS);
  useEffect(() => {
    const controller = new AbortController();
    // A later check keeps the earlier result on screen until it answers.
    fetch(`/api/sessions/${sessionId}/verification`, { signal: controller.signal, cache: 'no-store' })
      .then(async (response) => (response.ok ? setResult((await response.json()) as TVerification) : setResult('unavailable')))
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') setResult('unavailable');
      });
    return () => controller.abort();
  }, [sessionId, checkAt]);

  if (result === 'checking') {
    return (
      <p className="cluster record-verification" role="status">
        <span className="spinner" aria-hidden="true" /> {t('checking')}
      </p>
    );
  }
  if (result === 'unavailable') return <p className="muted record-verification">{t('unavailable')}</p>;
  return (
    // A failure is announced; a verified record is not, since its count moves with every event (S87).
    <p className="cluster record-verification" role={result.ok ? undefined : 'alert'} data-verified={result.ok}>
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
