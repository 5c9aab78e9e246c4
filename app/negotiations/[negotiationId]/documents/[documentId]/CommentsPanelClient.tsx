'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useId, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { TErrorCode } from '@/lib/shared/errors';
import { useLiveList } from './useLiveList';

export interface TCommentView {
  id: string;
  threadId: string;
  anchorStart: string | null;
  anchorEnd: string | null;
  quote: string;
  body: string;
  visibility: 'all' | 'delegation';
  delegationName: string | null;
  authorId: string;
  authorName: string;
  resolvedAt: number | null;
}

/** A text range picked in the editor, ready to comment on. */
export interface TCommentDraft {
  start: string;
  end: string;
  quote: string;
  nonce: number;
}

interface Props {
  documentId: string;
  socket: Socket;
  draft: TCommentDraft | null;
  hasDelegation: boolean;
  mayResolveAny: boolean;
  /** An adopted text: its threads are read-only (D17). */
  frozen: boolean;
  myUserId: string;
  /** Called with the open threads' anchors whenever they change, for highlighting in the text. */
  onThreads: (threads: TCommentView[]) => void;
}

/** Comments anchored to the text, threaded, public or for one's own delegation only. */
export function CommentsPanelClient({ documentId, socket, draft, hasDelegation, mayResolveAny, frozen, myUserId, onThreads }: Props) {
  const t = useTranslations('editor.comments');
  const errors = useTranslations('errors');
  const headingId = useId();
  const [showResolved, setShowResolved] = useState(false);
  const publishThreads = useCallback(
    (loaded: TCommentView[]) => onThreads(loaded.filter((comment) => comment.id === comment.threadId && comment.resolvedAt === null)),
    [onThreads],
  );
  const { items: comments, error, post } = useLiveList<TCommentView>({ documentId, socket, event: 'doc:comments', resource: 'comments', onLoaded: publishThreads });

  const threads = comments.filter((comment) => comment.id === comment.threadId && (showResolved || comment.resolvedAt === null));
  const replies = (threadId: string) => comments.filter((comment) => comment.threadId === threadId && comment.id !== threadId);

  return (
    <section className="card comments" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('heading', { count: comments.filter((c) => c.id === c.threadId && c.resolvedAt === null).length })}</h2>
      {error && (
        <p className="alert error" role="alert">
          {errors.has(error as TErrorCode) ? errors(error as TErrorCode) : errors('internal')}
        </p>
      )}
      {frozen && <p className="muted">{t('frozen')}</p>}
      {!frozen && draft && <NewThread key={draft.nonce} draft={draft} hasDelegation={hasDelegation} onPost={(body) => post('', body)} />}
      {!frozen && !draft && <p className="muted">{t('howTo')}</p>}
      <label className="cluster">
        <input type="checkbox" checked={showResolved} onChange={(event) => setShowResolved(event.target.checked)} />
        {t('showResolved')}
      </label>
      <ol className="comment-threads">
        {threads.map((thread) => (
          <li key={thread.id} className={`comment-thread${thread.resolvedAt ? ' resolved' : ''}`}>
            <blockquote>{thread.quote || t('noQuote')}</blockquote>
            <Comment comment={thread} />
            {replies(thread.id).map((reply) => (
              <Comment key={reply.id} comment={reply} />
            ))}
            {thread.resolvedAt === null && !frozen && (
              <>
                <Reply onPost={(body) => post('', { replyTo: thread.id, body })} />
                {(thread.authorId === myUserId || mayResolveAny) && (
                  <button type="button" className="secondary small" onClick={() => void post(`/${thread.id}/resolve`)}>
                    {t('resolve')}
                  </button>
                )}
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Comment({ comment }: { comment: TCommentView }) {
  const t = useTranslations('editor.comments');
  return (
    <div className="comment">
      <p className="comment-meta">
        <strong>{comment.authorName}</strong>
        {comment.delegationName && <span className="muted"> · {comment.delegationName}</span>}
        {comment.visibility === 'delegation' && <span className="badge warn">{t('internal')}</span>}
      </p>
      <p className="comment-body">{comment.body}</p>
    </div>
  );
}

function NewThread({ draft, hasDelegation, onPost }: { draft: TCommentDraft; hasDelegation: boolean; onPost: (body: unknown) => Promise<boolean> }) {
  const t = useTranslations('editor.comments');
  const id = useId();
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'all' | 'delegation'>('all');
  const [done, setDone] = useState(false);
  if (done) return null;
  return (
    <form
      className="form"
      aria-label={t('newTitle')}
      onSubmit={(event) => {
        event.preventDefault();
        void onPost({ anchorStart: draft.start, anchorEnd: draft.end, quote: draft.quote, body, visibility }).then((ok) => setDone(ok));
      }}
    >
      <blockquote>{draft.quote}</blockquote>
      <div className="field">
        <label htmlFor={`${id}-body`}>{t('body')}</label>
        <textarea id={`${id}-body`} value={body} maxLength={5000} required onChange={(event) => setBody(event.target.value)} autoFocus />
      </div>
      {hasDelegation && (
        <fieldset className="field">
          <legend>{t('visibility')}</legend>
          <div className="choices">
            {(['all', 'delegation'] as const).map((option) => (
              <label key={option}>
                <input type="radio" name={`${id}-visibility`} value={option} checked={visibility === option} onChange={() => setVisibility(option)} />
                {t(`visibilities.${option}`)}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit">{t('post')}</button>
      </div>
    </form>
  );
}

function Reply({ onPost }: { onPost: (body: string) => Promise<boolean> }) {
  const t = useTranslations('editor.comments');
  const id = useId();
  const [body, setBody] = useState('');
  return (
    <form
      className="cluster reply"
      onSubmit={(event) => {
        event.preventDefault();
        void onPost(body).then((ok) => ok && setBody(''));
      }}
    >
      <label htmlFor={`${id}-reply`} className="visually-hidden">
        {t('reply')}
      </label>
      <input id={`${id}-reply`} type="text" value={body} maxLength={5000} placeholder={t('reply')} onChange={(event) => setBody(event.target.value)} />
      <button type="submit" className="secondary small" disabled={body.trim() === ''}>
        {t('send')}
      </button>
    </form>
  );
}
