'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { BALLOT_CHOICES, type TQuestion, type TTally } from '@/lib/session/room/decisions';
import type { TPanelProps } from './SessionRoomClient';

/** Bar colours by choice; the table beside the chart says the same in words and numbers. */
const CHOICE_COLOURS = { yes: 'var(--ok)', no: 'var(--danger)', abstain: 'var(--ink-muted)' } as const;
const OUTCOME_BADGE = { adopted: 'ok', not_adopted: 'danger', no_quorum: 'warn', withdrawn: 'neutral', lapsed: 'neutral' } as const;

/** What a question is about and how it is decided, in words. */
export function QuestionSummary({ question, names }: { question: TQuestion; names: TPanelProps['names'] }) {
  const t = useTranslations('room.decisions');
  const { subject } = question;
  return (
    <div className="decision-summary">
      <p className="decision-subject">
        {subject.kind === 'procedural'
          ? t('subject.procedural', { text: subject.text })
          : subject.kind === 'document'
            ? t('subject.document', { title: subject.documentTitle })
            : subject.kind === 'paragraph'
              ? t('subject.paragraph', { title: subject.documentTitle, excerpt: subject.excerpt })
              : t('subject.amendment', { title: subject.documentTitle, delegation: names.delegation(subject.delegationId) ?? '—', excerpt: subject.excerpt })}
      </p>
      <p className="cluster">
        <span className="badge">{t(`method.${question.method}`)}</span>
        {question.ballot && <span className="badge neutral">{t(`ballot.${question.ballot}`)}</span>}
      </p>
    </div>
  );
}

/** S38: a roll-call's choices by delegation, public (nothing for a secret ballot). */
export function RollCall({ question, names, label }: { question: TQuestion; names: TPanelProps['names']; label: string }) {
  const t = useTranslations('room.decisions');
  if (question.ballot !== 'roll_call' || question.choices.length === 0) return null;
  return (
    <ul className="attendance-list" aria-label={label}>
      {question.choices.map((entry) => (
        <li key={entry.delegationId}>
          <span>{names.delegation(entry.delegationId)}</span>
          <span className={`badge choice-${entry.choice}`}>{t(`choices.${entry.choice}`)}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * S38: the votes as bars, hidden from assistive technology and out of the tab order (no keyboard
 * layer): the table beside it is the same data, readable by everyone.
 */
function TallyChart({ tally, caption }: { tally: TTally; caption: string }) {
  const t = useTranslations('room.decisions');
  const data = BALLOT_CHOICES.map((choice) => ({ choice, label: t(`choices.${choice}`), count: tally[choice] }));
  return (
    <div className="decision-tally">
      <div className="decision-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={140}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid horizontal={false} strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            {/* interval 0: every choice keeps its label; by default recharts drops ticks it thinks crowded. */}
            <YAxis type="category" dataKey="label" width={84} interval={0} />
            <Bar dataKey="count" isAnimationActive={false} label={{ position: 'right' }}>
              {data.map((entry) => (
                <Cell key={entry.choice} fill={CHOICE_COLOURS[entry.choice]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="decision-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('choiceHeader')}</th>
            <th scope="col">{t('countHeader')}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((entry) => (
            <tr key={entry.choice}>
              <th scope="row">{entry.label}</th>
              <td>{entry.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** S38–S41: closed questions, newest first, each with its outcome, votes and what became of the text. */
export function DecisionResults({ questions, names }: { questions: TQuestion[]; names: TPanelProps['names'] }) {
  const t = useTranslations('room.decisions');
  const format = useFormatter();
  const id = useId();
  return (
    <div className="decision-results">
      <h3 id={`${id}-results`}>{t('resultsHeading')}</h3>
      <ol className="decision-list" aria-labelledby={`${id}-results`}>
        {questions.map((question) => {
          const result = question.result;
          if (!result) return null;
          return (
            <li key={question.decisionId}>
              <p className="cluster">
                <span className={`badge ${OUTCOME_BADGE[result.outcome]}`}>{t(`outcome.${result.outcome}`)}</span>
                <span className="muted">{t(`closedBy.${result.closedBy}`, { time: format.dateTime(result.closedAt, { timeStyle: 'short' }) })}</span>
              </p>
              <QuestionSummary question={question} names={names} />
              {question.objection && (
                <p className="decision-objection">
                  {t('objectionBy', { delegation: names.delegation(question.objection.delegationId) ?? '—' })} <q>{question.objection.reason}</q>
                </p>
              )}
              {result.tally && <TallyChart tally={result.tally} caption={t('tallyCaption', { voted: question.voted.length, entitled: result.entitled.length })} />}
              <RollCall question={question} names={names} label={t('rollCall')} />
              {result.outcome !== 'withdrawn' && result.outcome !== 'lapsed' && (
                <p className="muted">{t('quorumAtClose', { present: result.quorum.present, members: result.quorum.members, required: result.quorum.required })}</p>
              )}
              {question.application && (
                <p className={question.application.status === 'failed' ? 'alert error' : 'muted'}>
                  {question.application.status === 'failed'
                    ? t(`application.failed.${question.application.reason}`)
                    : t(`application.${question.application.status}`, { kind: question.subject.kind })}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
