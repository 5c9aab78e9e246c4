'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { MAX_MINUTES_LENGTH } from '@/lib/session/minutes-markdown';

type TOutcome = { kind: 'saved' | 'published' } | { kind: 'failed'; code: string } | null;

/**
 * M3, M4: the chair and secretariat edit the minutes as Markdown (starting from the generated
 * text), save drafts and — the secretariat — publish them. The server checks everything again.
 */
export function MinutesEditorClient({ sessionId, initial, generated, mayPublish }: { sessionId: string; initial: string; generated: string; mayPublish: boolean }) {
  const t = useTranslations('summary.editor');
  const router = useRouter();
  const id = useId();
  const [markdown, setMarkdown] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<TOutcome>(null);

  async function send(method: 'PUT' | 'POST', path: string, done: 'saved' | 'published') {
    setBusy(true);
    setOutcome(null);
    try {
      const response = await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ markdown }) });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        setOutcome({ kind: 'failed', code: body.error ?? String(response.status) });
        return;
      }
      setOutcome({ kind: done });
      router.refresh();
    } catch {
      setOutcome({ kind: 'failed', code: 'network' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('heading')}</h2>
      <div className="field">
        <label htmlFor={`${id}-markdown`}>{t('label')}</label>
        <p className="hint" id={`${id}-hint`}>
          {t('hint')}
        </p>
        <textarea
          id={`${id}-markdown`}
          className="minutes-editor"
          aria-describedby={`${id}-hint`}
          value={markdown}
          maxLength={MAX_MINUTES_LENGTH}
          rows={18}
          spellCheck
          onChange={(event) => setMarkdown(event.target.value)}
        />
      </div>
      <div className="cluster">
        <button type="button" disabled={busy} onClick={() => void send('PUT', `/api/sessions/${sessionId}/minutes`, 'saved')}>
          {t('save')}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => setMarkdown(generated)}>
          {t('regenerate')}
        </button>
        {mayPublish && (
          <button type="button" className="danger" disabled={busy} onClick={() => void send('POST', `/api/sessions/${sessionId}/minutes/publish`, 'published')}>
            {t('publish')}
          </button>
        )}
      </div>
      <div role="status" aria-live="polite">
        {outcome?.kind === 'saved' && <p className="alert success">{t('saved')}</p>}
        {outcome?.kind === 'published' && <p className="alert success">{t('published')}</p>}
        {outcome?.kind === 'failed' && <p className="alert error">{t('failed', { code: outcome.code })}</p>}
      </div>
    </section>
  );
}
