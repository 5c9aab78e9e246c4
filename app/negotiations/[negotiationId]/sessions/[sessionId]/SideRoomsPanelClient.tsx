'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useId, type FormEvent } from 'react';
import { mayEnterSideRoom } from '@/lib/policy/media';
import type { TPanelProps } from './SessionRoomClient';
import { sessionIsOver } from '@/lib/shared/domain';

/**
 * Side rooms (PROTOCOL.md V23–V26): the chair opens one for some delegations; the people it is for
 * go in and come back; the plenary sees who is away. The server decides every move; the buttons
 * only hide what it would refuse.
 */
export function SideRoomsPanel({ view, names, run, busy }: Pick<TPanelProps, 'view' | 'names' | 'run' | 'busy'>) {
  const t = useTranslations('room.sideRooms');
  const format = useFormatter();
  const id = useId();
  const { state, viewer, directory } = view;
  const openRooms = state.sideRooms.filter((room) => room.closedAt === null);
  const manage = viewer.may.manageSideRooms && !sessionIsOver(state.status);
  if (!manage && openRooms.length === 0) return null;
  const me = viewer.role ? { userId: viewer.userId, role: viewer.role, delegationId: viewer.delegationId } : null;
  const away = openRooms.flatMap((room) => room.present.map((userId) => ({ userId, room })));
  // Observers and interpreters enter only when invited by name (V23): those present can be.
  const invitable = state.attendance.present.filter((person) => person.role === 'observer' || person.role === 'interpreter');

  const open = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const delegationIds = data.getAll('delegationIds').map(String);
    const userIds = data.getAll('userIds').map(String);
    void run('side_room.open', { title: String(data.get('title') ?? ''), delegationIds, userIds }).then((ok) => {
      if (ok) form.reset();
    });
  };

  return (
    <section className="card room-side-rooms" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('heading')}</h2>
      {openRooms.length === 0 && <p className="muted">{t('none')}</p>}
      <ul className="side-room-list">
        {openRooms.map((room) => {
          const inside = room.present.includes(viewer.userId);
          const mayEnter = me !== null && mayEnterSideRoom(me, room);
          return (
            <li key={room.sideRoomId} className="side-room" aria-label={room.title}>
              <h3>{room.title}</h3>
              <p className="muted">{t('for', { delegations: format.list(room.delegationIds.map((delegationId) => names.delegation(delegationId) ?? '')) })}</p>
              <p>{room.present.length > 0 ? t('inside', { people: format.list(room.present.map((userId) => names.person(userId) ?? '')) }) : t('empty')}</p>
              <div className="cluster">
                {inside ? (
                  <button type="button" className="small" disabled={busy} onClick={() => void run('side_room.leave', { sideRoomId: room.sideRoomId })}>
                    {t('back')}
                  </button>
                ) : (
                  mayEnter && (
                    <button type="button" className="small" disabled={busy} onClick={() => void run('side_room.join', { sideRoomId: room.sideRoomId })}>
                      {t('join', { title: room.title })}
                    </button>
                  )
                )}
                {manage && (
                  <button type="button" className="small danger" disabled={busy} onClick={() => void run('side_room.close', { sideRoomId: room.sideRoomId })}>
                    {t('close')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {away.length > 0 && (
        <>
          <h3>{t('awayHeading')}</h3>
          <ul className="attendance-list" aria-label={t('awayHeading')}>
            {away.map(({ userId, room }) => (
              <li key={userId}>
                <span>{names.person(userId)}</span>
                <span className="badge warn">{t('awayIn', { title: room.title })}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {manage && (
        <form className="room-form" onSubmit={open} aria-label={t('openForm')}>
          <div className="field">
            <label htmlFor={`${id}-title`}>{t('title')}</label>
            <input id={`${id}-title`} name="title" type="text" required maxLength={120} />
          </div>
          <fieldset>
            <legend>{t('delegations')}</legend>
            <div className="side-room-choices">
              {directory.delegations.map((delegation) => (
                <label key={delegation.delegationId} className="check">
                  <input type="checkbox" name="delegationIds" value={delegation.delegationId} />
                  {delegation.name}
                </label>
              ))}
            </div>
          </fieldset>
          {invitable.length > 0 && (
            <fieldset>
              <legend>{t('invite')}</legend>
              <div className="side-room-choices">
                {invitable.map((person) => (
                  <label key={person.userId} className="check">
                    <input type="checkbox" name="userIds" value={person.userId} />
                    {names.person(person.userId)}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <button type="submit" disabled={busy}>
            {t('open')}
          </button>
        </form>
      )}
    </section>
  );
}
