'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { TBlock } from '@/lib/documents/blocks';
import { paragraphLabels } from '@/lib/documents/paragraph-labels';
import type { TErrorCode } from '@/lib/shared/errors';
import { useLiveList } from './useLiveList';

export interface TBracketView {
  id: string;
  pid: string;
  anchorStart: string;
  anchorEnd: string;
  originalText: string;
  resolvedAt: number | null;
  chosenAlternative: string | null;
  alternatives: { id: string; delegationId: string; delegationName: string; text: string }[];
}

interface Props {
  documentId: string;
  socket: Socket;
  blocks: TBlock[];
  myDelegationId: string | null;
  mayPropose: boolean;
  mayResolve: boolean;
  /** Called with the brackets whenever they change (for marks in the text and counts per paragraph). */
  onBrackets: (brackets: TBracketView[]) => void;
}

/** Open brackets by paragraph: the disputed wording, each delegation's alternative, and the chair's choice. */
export function BracketsPanelClient({ documentId, socket, blocks, myDelegationId, mayPropose, mayResolve, onBrackets }: Props) {
  const t = useTranslations('editor.brackets');
  const errors = useTranslations('errors');
  const headingId = useId();
  const { items: brackets, error, post } = useLiveList<TBracketView>({ documentId, socket, event: 'doc:brackets', resource: 'brackets', onLoaded: onBrackets });

  const open = brackets.filter((bracket) => bracket.resolvedAt === null);
  const labels = paragraphLabels(blocks);

  return (
    <section className="card brackets" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('heading', { count: open.length })}</h2>
      {error && (
        <p className="alert error" role="alert">
          {errors.has(error as TErrorCode) ? errors(error as TErrorCode) : errors('internal')}
        </p>
      )}
      {open.length === 0 ? (
        <p className="empty">{t('none')}</p>
      ) : (
        <ol className="bracket-list">
          {open.map((bracket) => {
            const mine = bracket.alternatives.some((alternative) => alternative.delegationId === myDelegationId);
            return (
              <li key={bracket.id} className="bracket">
                <h3>{t('title', { label: labels.get(bracket.pid) ?? '—' })}</h3>
                <ol className="alternatives">
                  <li>
                    <span className="alternative-text">[{bracket.originalText}]</span> <span className="muted">{t('original')}</span>
                    {mayResolve && (
                      <button type="button" className="secondary small" onClick={() => void post(`/${bracket.id}/resolve`, { choice: 'original' })}>
                        {t('adoptOriginal')}
                      </button>
                    )}
                  </li>
                  {bracket.alternatives.map((alternative) => (
                    <li key={alternative.id}>
                      <span className="alternative-text">[{alternative.text}]</span> <span className="muted">{alternative.delegationName}</span>
                      {mayResolve && (
                        <button type="button" className="small" onClick={() => void post(`/${bracket.id}/resolve`, { choice: alternative.id })}>
                          {t('adopt')}
                        </button>
                      )}
                    </li>
                  ))}
                </ol>
                {mayPropose && !mine && <AlternativeForm onSubmit={(text) => post(`/${bracket.id}/alternatives`, { text })} />}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function AlternativeForm({ onSubmit }: { onSubmit: (text: string) => Promise<boolean> }) {
  const t = useTranslations('editor.brackets');
  const id = useId();
  const [text, setText] = useState('');
  return (
    <form
      className="cluster"
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit(text).then((ok) => ok && setText(''));
      }}
    >
      <label htmlFor={id}>{t('alternative')}</label>
      <input id={id} type="text" value={text} maxLength={2000} onChange={(event) => setText(event.target.value)} />
      <button type="submit" className="secondary small" disabled={text.trim() === ''}>
        {t('propose')}
      </button>
    </form>
  );
}
