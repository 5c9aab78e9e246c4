'use client';

import { useTranslations } from 'next-intl';
import { useId, useState, type FormEvent } from 'react';
import { BALLOT_CHOICES, BALLOT_KINDS, designatedVoter, entitledDelegations, openQuestion, voterRefusal, type TBallotChoice, type TQuestion } from '@/lib/session/room/decisions';
import type { TDecisionOptions } from '@/lib/server/sessions/decision-options';
import { DecisionResults, QuestionSummary, RollCall } from './DecisionResultsClient';
import type { TPanelProps } from './SessionRoomClient';
import { formatDuration, useServerClock } from './useSessionRoom';
import { sessionIsOver } from '@/lib/shared/domain';

type TDecisionsProps = Pick<TPanelProps, 'view' | 'names' | 'run' | 'busy'> & { serverNow: () => number; options: TDecisionOptions };

/**
 * S30–S49: the question before the room and what each viewer may do about it — vote, object, close
 * — the chair's form to put one, the head's designation of a voter, and the results so far. The
 * server decides every one of these; this only offers what it would accept.
 */
export function DecisionsPanel({ view, names, run, busy, serverNow, options }: TDecisionsProps) {
  const t = useTranslations('room.decisions');
  const { state, viewer } = view;
  const open = openQuestion(state);
  const closed = state.decisions.questions.filter((question) => question.status === 'closed').reverse();
  return (
    <section className="card room-decisions" aria-labelledby="decisions-heading">
      <h2 id="decisions-heading">{t('heading')}</h2>
      {open ? <OpenQuestion question={open} view={view} names={names} run={run} busy={busy} serverNow={serverNow} /> : <p className="empty">{t('noneOpen')}</p>}
      {viewer.may.manageDecisions && !open && state.status === 'live' && options.subjects && <PutQuestionForm subjects={options.subjects} run={run} busy={busy} />}
      {viewer.may.designateVoter && options.delegates && !sessionIsOver(state.status) && <DesignateVoter view={view} names={names} run={run} busy={busy} delegates={options.delegates} />}
      {closed.length > 0 && <DecisionResults questions={closed} names={names} />}
    </section>
  );
}

/** S37, S40: the open question, live: method, deadline or "N of M voted", and the viewer's part. */
function OpenQuestion({ question, view, names, run, busy, serverNow }: Omit<TDecisionsProps, 'options'> & { question: TQuestion }) {
  const t = useTranslations('room.decisions');
  const id = useId();
  const { state, viewer } = view;
  const consensus = question.method === 'consensus';
  const now = useServerClock(consensus, serverNow);
  const entitled = entitledDelegations(state);
  const mayAct = viewer.may.vote && voterRefusal(state, viewer) === null;
  const ownVoted = viewer.delegationId !== null && question.voted.includes(viewer.delegationId);
  const ownChoice = question.choices.find((entry) => entry.delegationId === viewer.delegationId)?.choice;
  const [reason, setReason] = useState('');

  const vote = (choice: TBallotChoice) => void run('decision.vote', { decisionId: question.decisionId, choice });
  const object = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await run('decision.object', { decisionId: question.decisionId, reason })) setReason('');
  };

  return (
    <div className="decision-open" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('openHeading')}</h3>
      <QuestionSummary question={question} names={names} />
      {consensus && question.deadline !== null ? (
        <>
          <p className="decision-countdown" role="timer" aria-label={t('timeLeftLabel')}>
            {formatDuration(Math.max(0, question.deadline - now))}
          </p>
          <p>{t('silenceHint')}</p>
        </>
      ) : (
        <>
          <p className="decision-progress" role="status">
            {t('votedCount', { voted: question.voted.length, entitled: entitled.length })}
          </p>
          <progress max={Math.max(entitled.length, 1)} value={question.voted.length} aria-label={t('progressLabel')} />
          <RollCall question={question} names={names} label={t('rollCallSoFar')} />
        </>
      )}
      {mayAct && ownVoted && (
        <p className="badge ok" role="status">
          {ownChoice ? t('youVotedChoice', { choice: t(`choices.${ownChoice}`) }) : consensus ? t('youObjected') : t('youVoted')}
        </p>
      )}
      {mayAct && !ownVoted && !consensus && (
        <div className="cluster" role="group" aria-label={t('voteGroup')}>
          {/* The three choices look alike: none may seem chosen in advance. */}
          {BALLOT_CHOICES.map((choice) => (
            <button key={choice} type="button" className="secondary" disabled={busy} onClick={() => vote(choice)}>
              {t(`vote.${choice}`)}
            </button>
          ))}
        </div>
      )}
      {mayAct && !ownVoted && consensus && (
        <form className="room-form" onSubmit={(event) => void object(event)} aria-label={t('objectForm')}>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t('reasonLabel')}</label>
            <textarea id={`${id}-reason`} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={1000} aria-describedby={`${id}-reason-hint`} />
            <p className="hint" id={`${id}-reason-hint`}>
              {t('reasonHint')}
            </p>
          </div>
          <button type="submit" className="danger" disabled={busy}>
            {t('object')}
          </button>
        </form>
      )}
      {!mayAct && viewer.may.vote && <p className="muted">{voterRefusal(state, viewer) === 'not_designated' ? t('notDesignated') : t('notEntitled')}</p>}
      {viewer.may.manageDecisions && (
        <div className="cluster" role="group" aria-label={t('chairActions')}>
          {!consensus && (
            <button type="button" disabled={busy} onClick={() => void run('decision.close', { decisionId: question.decisionId })}>
              {t('close')}
            </button>
          )}
          <button type="button" className="secondary" disabled={busy} onClick={() => void run('decision.withdraw', { decisionId: question.decisionId })}>
            {t('withdraw')}
          </button>
        </div>
      )}
    </div>
  );
}

type TSubjectKind = 'paragraph' | 'amendment' | 'document' | 'procedural';
type TMethod = 'consensus' | 'majority' | 'two_thirds';

/** S31, S32: the chair's form: what the question is about, and how it is decided. */
function PutQuestionForm({ subjects, run, busy }: Pick<TPanelProps, 'run' | 'busy'> & { subjects: NonNullable<TDecisionOptions['subjects']> }) {
  const t = useTranslations('room.decisions.put');
  const id = useId();
  const [kind, setKind] = useState<TSubjectKind>(subjects.length > 0 ? 'paragraph' : 'procedural');
  const [method, setMethod] = useState<TMethod>('consensus');
  const [documentId, setDocumentId] = useState(subjects[0]?.documentId ?? '');
  const document = subjects.find((candidate) => candidate.documentId === documentId);

  const put = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const field = (name: string) => String(data.get(name) ?? '');
    const subject =
      kind === 'procedural'
        ? { kind, text: field('text') }
        : kind === 'paragraph'
          ? { kind, documentId, pid: field('pid') }
          : kind === 'amendment'
            ? { kind, documentId, amendmentId: field('amendmentId') }
            : { kind, documentId };
    const accepted =
      method === 'consensus'
        ? await run('decision.put', { subject, method, silenceSeconds: Math.round(Number(field('silenceMinutes')) * 60) })
        : await run('decision.put', { subject, method, ballot: field('ballot') === 'secret' ? 'secret' : 'roll_call' });
    if (accepted) form.reset();
  };

  const kinds: TSubjectKind[] = subjects.length > 0 ? ['paragraph', 'amendment', 'document', 'procedural'] : ['procedural'];
  return (
    <form className="room-form" onSubmit={(event) => void put(event)} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('heading')}</h3>
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('kindLabel')}</label>
        <select id={`${id}-kind`} value={kind} onChange={(event) => setKind(event.target.value as TSubjectKind)}>
          {kinds.map((option) => (
            <option key={option} value={option}>
              {t(`kinds.${option}`)}
            </option>
          ))}
        </select>
      </div>
      {kind !== 'procedural' && (
        <div className="field">
          <label htmlFor={`${id}-document`}>{t('documentLabel')}</label>
          <select id={`${id}-document`} value={documentId} onChange={(event) => setDocumentId(event.target.value)}>
            {subjects.map((candidate) => (
              <option key={candidate.documentId} value={candidate.documentId}>
                {candidate.title}
              </option>
            ))}
          </select>
        </div>
      )}
      {kind === 'paragraph' && (
        <div className="field">
          <label htmlFor={`${id}-pid`}>{t('paragraphLabel')}</label>
          <select id={`${id}-pid`} name="pid" required>
            {document?.paragraphs.map((paragraph) => (
              <option key={paragraph.pid} value={paragraph.pid}>
                {t('paragraphOption', { label: paragraph.label, excerpt: paragraph.excerpt })}
              </option>
            ))}
          </select>
        </div>
      )}
      {kind === 'amendment' && (
        <div className="field">
          <label htmlFor={`${id}-amendment`}>{t('amendmentLabel')}</label>
          <select id={`${id}-amendment`} name="amendmentId" required>
            {document?.amendments.map((amendment) => (
              <option key={amendment.amendmentId} value={amendment.amendmentId}>
                {t('amendmentOption', { delegation: amendment.delegationName, kind: amendment.kind, excerpt: amendment.excerpt })}
              </option>
            ))}
          </select>
        </div>
      )}
      {kind === 'procedural' && (
        <div className="field">
          <label htmlFor={`${id}-text`}>{t('textLabel')}</label>
          <input id={`${id}-text`} name="text" type="text" required maxLength={500} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-method`}>{t('methodLabel')}</label>
        <select id={`${id}-method`} value={method} onChange={(event) => setMethod(event.target.value as TMethod)}>
          {(['consensus', 'majority', 'two_thirds'] as const).map((option) => (
            <option key={option} value={option}>
              {t(`methods.${option}`)}
            </option>
          ))}
        </select>
      </div>
      {method === 'consensus' ? (
        <div className="field">
          <label htmlFor={`${id}-silence`}>{t('silenceLabel')}</label>
          <input id={`${id}-silence`} name="silenceMinutes" type="number" min={1} max={10_080} defaultValue={10} required inputMode="numeric" />
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-ballot`}>{t('ballotLabel')}</label>
          <select id={`${id}-ballot`} name="ballot" defaultValue="roll_call">
            {BALLOT_KINDS.map((option) => (
              <option key={option} value={option}>
                {t(`ballots.${option}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" disabled={busy}>
        {t('submit')}
      </button>
    </form>
  );
}

/** S36: the head names the delegate who votes for the delegation, or votes alone again. */
function DesignateVoter({ view, names, run, busy, delegates }: Pick<TPanelProps, 'view' | 'names' | 'run' | 'busy'> & { delegates: NonNullable<TDecisionOptions['delegates']> }) {
  const t = useTranslations('room.decisions.designate');
  const id = useId();
  const { state, viewer } = view;
  if (viewer.delegationId === null || viewer.delegationStatus !== 'member') return null;
  const current = designatedVoter(state, viewer.delegationId);
  const designate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const userId = String(new FormData(event.currentTarget).get('userId') ?? '');
    void run('decision.designate', { userId: userId === '' ? null : userId });
  };
  return (
    <form className="room-form" onSubmit={designate} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('heading')}</h3>
      <p className="muted">{current ? t('current', { name: names.person(current) ?? '—' }) : t('headOnly')}</p>
      <div className="cluster room-inline-form">
        <div className="field">
          <label htmlFor={`${id}-voter`}>{t('label')}</label>
          <select id={`${id}-voter`} name="userId" defaultValue={current ?? ''} key={current ?? ''}>
            <option value="">{t('nobody')}</option>
            {delegates.map((delegate) => (
              <option key={delegate.userId} value={delegate.userId}>
                {delegate.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary" disabled={busy}>
          {t('submit')}
        </button>
      </div>
    </form>
  );
}
