'use client';

import { diffWords } from 'diff';
import { useFormatter, useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { TBlock } from '@/lib/documents/blocks';
import { paragraphLabels } from '@/lib/documents/paragraph-labels';
import type { TErrorCode } from '@/lib/shared/errors';
import { useLiveList } from './useLiveList';

interface TAmendmentView {
  id: string;
  pid: string;
  kind: 'replace' | 'insert' | 'delete';
  originalText: string;
  proposedText: string;
  rationale: string;
  delegationId: string;
  delegationName: string;
  proposerName: string;
  status: 'proposed' | 'accepted' | 'rejected' | 'withdrawn';
  currentText: string | null;
  conflicting: boolean;
  sponsors: { delegationId: string; delegationName: string }[];
}

export interface TAmendmentDraft {
  pid: string;
  text: string;
  /** Distinguishes two requests to amend the same paragraph. */
  nonce: number;
}

interface Props {
  documentId: string;
  socket: Socket;
  blocks: TBlock[];
  mayPropose: boolean;
  mayDecide: boolean;
  myDelegationId: string | null;
  /** A paragraph to amend, chosen from the text or the paragraph list. */
  draft: TAmendmentDraft | null;
}

const STATUS_BADGE = { proposed: 'warn', accepted: 'ok', rejected: 'danger', withdrawn: 'neutral' } as const;

const blockText = (block: TBlock) => block.runs.map((run) => run.text).join('');

/** Word-level changes between the paragraph as it is now and as the amendment would make it. */
function Diff({ before, after }: { before: string; after: string }) {
  return (
    <p className="amendment-diff">
      {diffWords(before, after).map((part, index) =>
        part.added ? <ins key={index}>{part.value}</ins> : part.removed ? <del key={index}>{part.value}</del> : <span key={index}>{part.value}</span>,
      )}
    </p>
  );
}

/**
 * Formal amendments: propose one on behalf of the delegation (replace, insert after, delete a
 * paragraph), see each as a diff against the current text with its co-sponsors and conflicts, and —
 * for the chair — accept or reject. The server applies accepted ones to the live text.
 */
export function AmendmentsPanelClient({ documentId, socket, blocks, mayPropose, mayDecide, myDelegationId, draft }: Props) {
  const t = useTranslations('editor.amendments');
  const errors = useTranslations('errors');
  const format = useFormatter();
  const formId = useId();
  const { items: amendments, loading, error, busy, post: act } = useLiveList<TAmendmentView>({ documentId, socket, event: 'doc:amendments', resource: 'amendments' });

  // Headings are not paragraphs; each paragraph is named by its label, as in the editor.
  const paragraphs = blocks.filter((block) => block.pid && block.type !== 'heading');
  const labels = paragraphLabels(blocks);

  return (
    <section className="card amendments" aria-labelledby={`${formId}-heading`}>
      <h2 id={`${formId}-heading`}>{t('heading', { count: amendments.filter((a) => a.status === 'proposed').length })}</h2>
      {error && (
        <p className="alert error" role="alert">
          {errors.has(error as TErrorCode) ? errors(error as TErrorCode) : errors('internal')}
        </p>
      )}
      {mayPropose && <ProposeForm key={draft?.nonce ?? 'blank'} paragraphs={paragraphs} labels={labels} draft={draft} busy={busy} onPropose={(body) => act('', body)} />}
      {loading ? (
        <p className="muted">
          <span className="spinner" aria-hidden="true" /> {t('loading')}
        </p>
      ) : amendments.length === 0 ? (
        <p className="empty">{t('none')}</p>
      ) : (
        <ol className="amendment-list">
          {amendments.map((amendment) => {
            const base = amendment.currentText ?? amendment.originalText;
            const sponsored = amendment.sponsors.some((sponsor) => sponsor.delegationId === myDelegationId);
            const open = amendment.status === 'proposed';
            return (
              <li key={amendment.id} className="amendment">
                <h3>
                  {t(`titles.${amendment.kind}`, { delegation: amendment.delegationName, label: labels.get(amendment.pid) ?? '—' })}{' '}
                  <span className={`badge ${STATUS_BADGE[amendment.status]}`}>{t(`statuses.${amendment.status}`)}</span>
                  {amendment.conflicting && <span className="badge danger">{t('conflict')}</span>}
                </h3>
                {amendment.kind === 'replace' && <Diff before={base} after={amendment.proposedText} />}
                {amendment.kind === 'insert' && (
                  <p className="amendment-diff">
                    <ins>{amendment.proposedText}</ins>
                  </p>
                )}
                {amendment.kind === 'delete' && (
                  <p className="amendment-diff">
                    <del>{base}</del>
                  </p>
                )}
                {amendment.rationale && <p className="muted">{t('because', { rationale: amendment.rationale })}</p>}
                <p className="muted">
                  {t('proposedBy', { name: amendment.proposerName })}
                  {amendment.sponsors.length > 0 && ` · ${t('sponsors', { names: format.list(amendment.sponsors.map((s) => s.delegationName)) })}`}
                </p>
                {open && (
                  <div className="cluster">
                    {mayPropose && myDelegationId !== amendment.delegationId && !sponsored && (
                      <button type="button" className="secondary small" disabled={busy} onClick={() => void act(`/${amendment.id}/cosponsor`)}>
                        {t('cosponsor')}
                      </button>
                    )}
                    {mayPropose && myDelegationId === amendment.delegationId && (
                      <button type="button" className="secondary small" disabled={busy} onClick={() => void act(`/${amendment.id}/withdraw`)}>
                        {t('withdraw')}
                      </button>
                    )}
                    {mayDecide && (
                      <>
                        <button type="button" className="small" disabled={busy} onClick={() => void act(`/${amendment.id}/accept`)}>
                          {t('accept')}
                        </button>
                        <button type="button" className="danger small" disabled={busy} onClick={() => void act(`/${amendment.id}/reject`)}>
                          {t('reject')}
                        </button>
                      </>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

interface TProposal {
  pid: string;
  kind: 'replace' | 'insert' | 'delete';
  proposedText: string;
  rationale: string;
}

/** The proposal form; a new draft (a paragraph picked to amend) starts it afresh on that paragraph. */
function ProposeForm({ paragraphs, labels, draft, busy, onPropose }: { paragraphs: TBlock[]; labels: ReadonlyMap<string, string>; draft: TAmendmentDraft | null; busy: boolean; onPropose: (proposal: TProposal) => Promise<boolean> }) {
  const t = useTranslations('editor.amendments');
  const formId = useId();
  const [pid, setPid] = useState(draft?.pid ?? '');
  const [kind, setKind] = useState<TProposal['kind']>('replace');
  const [text, setText] = useState(draft?.text ?? '');
  const [rationale, setRationale] = useState('');
  const submit = async () => {
    const chosen = pid || paragraphs[0]?.pid || '';
    if (await onPropose({ pid: chosen, kind, proposedText: kind === 'delete' ? '' : text, rationale })) {
      setText('');
      setRationale('');
    }
  };
  return (
    <form
      className="form amendment-form"
      aria-label={t('proposeTitle')}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="cluster">
        <div className="field">
          <label htmlFor={`${formId}-paragraph`}>{t('paragraph')}</label>
          <select id={`${formId}-paragraph`} value={pid} onChange={(event) => setPid(event.target.value)}>
            {paragraphs.map((block) => (
              <option key={block.pid} value={block.pid ?? ''}>
                {`${labels.get(block.pid ?? '') ?? ''} ${blockText(block).slice(0, 60)}`}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>{t('kind')}</legend>
          <div className="choices">
            {(['replace', 'insert', 'delete'] as const).map((option) => (
              <label key={option}>
                <input type="radio" name="kind" value={option} checked={kind === option} onChange={() => setKind(option)} />
                {t(`kinds.${option}`)}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      {kind !== 'delete' && (
        <div className="field">
          <label htmlFor={`${formId}-text`}>{kind === 'insert' ? t('newText') : t('replacementText')}</label>
          {/* A paragraph picked to amend brings the user here, ready to type. */}
          <textarea id={`${formId}-text`} value={text} maxLength={5000} onChange={(event) => setText(event.target.value)} required autoFocus={draft !== null} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${formId}-rationale`}>{t('rationale')}</label>
        <textarea id={`${formId}-rationale`} value={rationale} maxLength={5000} onChange={(event) => setRationale(event.target.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {t('propose')}
        </button>
      </div>
    </form>
  );
}
