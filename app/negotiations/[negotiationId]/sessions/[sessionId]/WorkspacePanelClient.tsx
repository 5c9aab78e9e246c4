'use client';

import { useTranslations } from 'next-intl';
import { useId, type FormEvent } from 'react';
import { isEntryOf } from '@/lib/session/room/positions';
import { DelegationPickForm } from './DelegationPickFormClient';
import styles from './deliberation.module.css';
import type { TDocumentPanelProps } from './PositionsPanelClient';
import { sessionIsOver } from '@/lib/shared/domain';

/**
 * S71–S75: the delegation's private notes per paragraph, kept for the whole negotiation; its head
 * shows them read-only to one consultation partner at a time, and stops; a partner's shared notes
 * appear below, read-only.
 */
export function WorkspacePanel({ view, names, run, busy, documentId, targets }: TDocumentPanelProps) {
  const t = useTranslations('room.workspace');
  const id = useId();
  const { state, viewer } = view;
  const own = viewer.delegationId;
  if (!own) return null;
  const delegation = names.delegation(own) ?? '—';
  const open = !sessionIsOver(state.status);
  const share = state.workspace.shares.find((entry) => entry.delegationId === own);
  const partners = state.chat.consultations.filter((consultation) => consultation.status === 'open').map((consultation) => (consultation.delegationIds[0] === own ? consultation.delegationIds[1] : consultation.delegationIds[0]));
  const sharedWithUs = state.workspace.shares.filter((entry) => entry.partnerDelegationId === own);
  const noteOf = (delegationId: string, pid: string) => state.workspace.notes.find((entry) => isEntryOf(entry, delegationId, documentId, { kind: 'paragraph', pid }))?.text ?? '';

  const save = (event: FormEvent<HTMLFormElement>, pid: string) => {
    event.preventDefault();
    void run('workspace.write', { documentId, pid, text: String(new FormData(event.currentTarget).get('text') ?? '') });
  };

  return (
    <section className={`card ${styles.workspace}`} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('heading')}</h2>
      <p className="muted">{t('intro', { delegation })}</p>
      {viewer.may.writeWorkspace && targets.paragraphs.length > 0 && (
        <ul className={styles.plainList}>
          {targets.paragraphs.map((paragraph) => {
            const note = noteOf(own, paragraph.pid);
            const target = paragraph.label;
            return (
              <li key={paragraph.pid}>
                <form key={note} className={styles.noteForm} onSubmit={(event) => save(event, paragraph.pid)}>
                  <label htmlFor={`${id}-${paragraph.pid}`}>{t('noteLabel', { target })}</label>
                  <textarea id={`${id}-${paragraph.pid}`} name="text" rows={1} maxLength={4000} defaultValue={note} disabled={!open} />
                  {open && (
                    <button type="submit" className="small secondary" disabled={busy} aria-label={t('saveFor', { target })}>
                      {t('save')}
                    </button>
                  )}
                </form>
              </li>
            );
          })}
        </ul>
      )}
      {viewer.may.manageConsultations && open && (
        <fieldset className={styles.settings}>
          <legend>{t('sharingLegend')}</legend>
          <p>{share ? t('sharedWith', { delegation: names.delegation(share.partnerDelegationId) ?? '—' }) : t('notShared')}</p>
          {partners.length === 0 ? (
            <p className="muted">{t('noPartners')}</p>
          ) : (
            <DelegationPickForm
              label={t('partner')}
              action={t('share')}
              delegations={partners.map((partner) => ({ delegationId: partner, name: names.delegation(partner) ?? '—' }))}
              defaultValue={share?.partnerDelegationId}
              busy={busy}
              onPick={(delegationId) => void run('workspace.share', { delegationId })}
            />
          )}
          {share && (
            <button type="button" className="small danger" disabled={busy} onClick={() => void run('workspace.unshare', {})}>
              {t('stopSharing')}
            </button>
          )}
        </fieldset>
      )}
      {sharedWithUs.map(({ delegationId }) => {
        const notes = targets.paragraphs.map((paragraph) => ({ paragraph, text: noteOf(delegationId, paragraph.pid) })).filter((entry) => entry.text);
        return (
          <div key={delegationId} className={styles.shared}>
            <h3>{t('fromPartner', { delegation: names.delegation(delegationId) ?? '—' })}</h3>
            {notes.length === 0 ? (
              <p className="muted">{t('noNotes')}</p>
            ) : (
              <dl className={styles.sharedNotes}>
                {notes.map(({ paragraph, text }) => (
                  <div key={paragraph.pid}>
                    <dt>{paragraph.label}</dt>
                    <dd>{text}</dd>
                  </div>
                ))}
              </dl>
            )}
          </div>
        );
      })}
    </section>
  );
}
