'use client';

import { useTranslations } from 'next-intl';
import { useId, type FormEvent } from 'react';
import { isEntryOf, POSITION_MAP_VISIBILITIES, STANCES, type TPositionMapVisibility, type TPositionTarget, type TStance } from '@/lib/session/room/positions';
import { ConsensusMap, type TMapRow } from './ConsensusMapClient';
import type { TDeliberationProps } from './DeliberationPanelsClient';
import styles from './deliberation.module.css';
import type { TDocumentTargets } from './useDocumentTargets';
import { sessionIsOver } from '@/lib/shared/domain';

export interface TDocumentPanelProps extends Omit<TDeliberationProps, 'documents'> {
  documentId: string;
  targets: TDocumentTargets;
}

/**
 * S62–S67: the delegation states its stance, with a note only its people see, on each paragraph
 * and each amendment open for decision; everyone (or, as the chair decides, the chair and the
 * secretariat) sees the consensus map.
 */
export function PositionsPanel({ view, names, run, busy, documentId, targets }: TDocumentPanelProps) {
  const t = useTranslations('room.positions');
  const td = useTranslations('room.deliberation');
  const id = useId();
  const { state, viewer } = view;
  const own = viewer.delegationId;
  const mayRecord = viewer.may.recordPositions && own !== null && !sessionIsOver(state.status);
  const mapVisible = state.positions.visibility === 'everyone' || viewer.may.configurePositions;
  const paragraphById = new Map(targets.paragraphs.map((paragraph) => [paragraph.pid, paragraph]));

  const rows: TMapRow[] = [
    ...targets.paragraphs.map((paragraph) => ({ key: paragraph.pid, label: paragraph.label, excerpt: paragraph.text, target: { kind: 'paragraph', pid: paragraph.pid } as TPositionTarget })),
    ...targets.amendments.map((amendment) => {
      const paragraph = paragraphById.get(amendment.pid);
      const text = td('amendmentLabel', { delegation: names.delegation(amendment.delegationId) ?? '—', paragraph: paragraph ? paragraph.label : '—' });
      return { key: amendment.id, label: text, excerpt: '', target: { kind: 'amendment', amendmentId: amendment.id } as TPositionTarget };
    }),
  ];

  const setVisibility = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run('positions.set_visibility', { visibility: String(new FormData(event.currentTarget).get('visibility')) as TPositionMapVisibility });
  };

  return (
    <section className={`card ${styles.positions}`} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('heading')}</h2>
      {targets.status === 'loading' && <p className="muted">{td('loading')}</p>}
      {targets.status === 'failed' && <p className="alert error">{td('loadFailed')}</p>}
      {mayRecord && rows.length > 0 && (
        <div className={styles.record}>
          <h3>{t('recordHeading')}</h3>
          <p className="muted">{t('recordHint', { delegation: names.delegation(own) ?? '—' })}</p>
          <ul className={styles.plainList}>
            {rows.map((row) => (
              <PositionForm key={row.key} row={row} documentId={documentId} view={view} names={names} run={run} busy={busy} />
            ))}
          </ul>
        </div>
      )}
      {!viewer.may.recordPositions && <p className="muted">{t('observerNote')}</p>}
      {mapVisible ? (
        <ConsensusMap rows={rows} documentId={documentId} view={view} names={names} />
      ) : (
        <p className="alert info">{t('mapHidden')}</p>
      )}
      {viewer.may.configurePositions && !sessionIsOver(state.status) && (
        <form className="cluster room-inline-form" onSubmit={setVisibility} key={state.positions.visibility}>
          <div className="field">
            <label htmlFor={`${id}-visibility`}>{t('visibilityLegend')}</label>
            <select id={`${id}-visibility`} name="visibility" defaultValue={state.positions.visibility}>
              {POSITION_MAP_VISIBILITIES.map((visibility) => (
                <option key={visibility} value={visibility}>
                  {t(`visibility.${visibility}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="secondary" disabled={busy}>
            {t('applyVisibility')}
          </button>
        </form>
      )}
    </section>
  );
}

/** One target: the delegation's stance and private note, saved together. */
function PositionForm({ row, documentId, view, names, run, busy }: Pick<TDeliberationProps, 'view' | 'names' | 'run' | 'busy'> & { row: TMapRow; documentId: string }) {
  const t = useTranslations('room.positions');
  const id = useId();
  const own = view.viewer.delegationId ?? '';
  const delegation = names.delegation(own) ?? '—';
  const stance = view.state.positions.stances.find((entry) => isEntryOf(entry, own, documentId, row.target))?.stance ?? '';
  const note = view.state.positions.notes.find((entry) => isEntryOf(entry, own, documentId, row.target))?.text ?? '';
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const chosen = String(data.get('stance') ?? '');
    void run('position.record', { documentId, target: row.target, stance: chosen ? (chosen as TStance) : null, note: String(data.get('note') ?? '') });
  };
  return (
    <li className={styles.targetItem}>
      <p className={styles.targetLabel}>
        <strong>{row.label}</strong> {row.excerpt && <span className={styles.excerpt} dir="auto">{row.excerpt}</span>}
      </p>
      {/* Keyed by what is stored, so the form shows the delegation's position whoever of it changed it. */}
      <form key={`${stance}|${note}`} className={styles.inlineForm} onSubmit={save} aria-label={t('ourPosition', { delegation, target: row.label })}>
        <label className="visually-hidden" htmlFor={`${id}-stance`}>
          {t('ourPosition', { delegation, target: row.label })}
        </label>
        <select id={`${id}-stance`} name="stance" defaultValue={stance}>
          <option value="">{t('noStance')}</option>
          {STANCES.map((value) => (
            <option key={value} value={value}>
              {t(`stances.${value}`)}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={`${id}-note`}>
          {t('note', { delegation })}
        </label>
        <input id={`${id}-note`} name="note" type="text" maxLength={4000} defaultValue={note} placeholder={t('notePlaceholder')} />
        <button type="submit" className="small" disabled={busy} aria-label={t('saveFor', { target: row.label })}>
          {t('save')}
        </button>
      </form>
    </li>
  );
}
