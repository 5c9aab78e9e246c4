'use client';

import { useTranslations } from 'next-intl';
import { useId, type FormEvent } from 'react';
import { DocumentOptions, type TRoomDocument } from './DeliberationPanelsClient';
import type { TPanelProps } from './SessionRoomClient';
import { sessionIsOver } from '@/lib/shared/domain';

/** S8, S9: the agenda, the item under discussion highlighted; the chair adds, orders and moves on. */
export function AgendaPanel({ view, run, busy, documents }: Pick<TPanelProps, 'view' | 'run' | 'busy'> & { documents: TRoomDocument[] }) {
  const t = useTranslations('room.agenda');
  const id = useId();
  const { state, viewer } = view;
  const { items, currentItemId } = state.agenda;
  const manage = viewer.may.manageAgenda && !sessionIsOver(state.status);

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const minutes = String(data.get('plannedMinutes') ?? '').trim();
    const documentId = String(data.get('documentId') ?? '');
    const accepted = await run('agenda.add', { title: String(data.get('title') ?? ''), plannedMinutes: minutes ? Number(minutes) : null, ...(documentId ? { documentId } : {}) });
    if (accepted) form.reset();
  };

  return (
    <section className="card room-agenda" aria-labelledby="agenda-heading">
      <div className="panel-head">
        <h2 id="agenda-heading">{t('heading')}</h2>
        {manage && items.length > 0 && (
          <button type="button" className="small" disabled={busy} onClick={() => void run('agenda.next', {})}>
            {t('next')}
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <p className="empty">{t('empty')}</p>
      ) : (
        <ol className="agenda-list">
          {items.map((item, index) => (
            <li key={item.itemId} aria-current={item.itemId === currentItemId ? 'step' : undefined} className={item.doneAt ? 'done' : undefined}>
              <div className="agenda-item">
                <span className="agenda-title">{item.title}</span>
                {item.itemId === currentItemId && <span className="badge ok">{t('current')}</span>}
                {item.plannedMinutes !== null && <span className="badge neutral">{t('planned', { minutes: item.plannedMinutes })}</span>}
                {item.documentId && <span className="muted">{t('about', { title: documents.find((document) => document.id === item.documentId)?.title ?? '—' })}</span>}
              </div>
              {manage && (
                <div className="cluster row-actions">
                  {item.itemId !== currentItemId && (
                    <button type="button" className="small secondary" disabled={busy} aria-label={t('takeUpItem', { title: item.title })} onClick={() => void run('agenda.set_current', { itemId: item.itemId })}>
                      {t('takeUp')}
                    </button>
                  )}
                  <button type="button" className="small secondary" disabled={busy || index === 0} aria-label={t('moveUp', { title: item.title })} onClick={() => void run('agenda.move', { itemId: item.itemId, toIndex: index - 1 })}>
                    ↑
                  </button>
                  <button type="button" className="small secondary" disabled={busy || index === items.length - 1} aria-label={t('moveDown', { title: item.title })} onClick={() => void run('agenda.move', { itemId: item.itemId, toIndex: index + 1 })}>
                    ↓
                  </button>
                  <button type="button" className="small danger" disabled={busy} aria-label={t('remove', { title: item.title })} onClick={() => void run('agenda.remove', { itemId: item.itemId })}>
                    ×
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {manage && (
        <form className="room-form" onSubmit={(event) => void add(event)} aria-labelledby={`${id}-add`}>
          <h3 id={`${id}-add`}>{t('addHeading')}</h3>
          <div className="field">
            <label htmlFor={`${id}-title`}>{t('titleLabel')}</label>
            <input id={`${id}-title`} name="title" type="text" required maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-minutes`}>{t('minutesLabel')}</label>
            <input id={`${id}-minutes`} name="plannedMinutes" type="number" min={1} max={1440} inputMode="numeric" />
          </div>
          {documents.length > 0 && (
            <div className="field">
              <label htmlFor={`${id}-document`}>{t('documentLabel')}</label>
              <select id={`${id}-document`} name="documentId" defaultValue="">
                <option value="">{t('noDocument')}</option>
                <DocumentOptions documents={documents} />
              </select>
            </div>
          )}
          <button type="submit" className="secondary" disabled={busy}>
            {t('add')}
          </button>
        </form>
      )}
    </section>
  );
}
