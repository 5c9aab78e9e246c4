'use client';

import { useTranslations } from 'next-intl';
import { useId, type FormEvent } from 'react';
import { mayDesignateSpeakerOf } from '@/lib/policy/floor';
import { budgetRemainingMs } from '@/lib/session/room/budgets';
import type { TFloorSettings } from '@/lib/session/room/settings';
import { classSize, entrantOf, indexInClass, isFirstClass, SPEAKING_ROLES } from '@/lib/session/room/speakers';
import { readTimer } from '@/lib/session/room/timer';
import { ACTOR_KINDS, FLOOR_KINDS, sessionIsOver, type TFloorKind } from '@/lib/shared/domain';
import { DelegationPickForm } from './DelegationPickFormClient';
import type { TPanelProps } from './SessionRoomClient';
import { formatDuration } from './useSessionRoom';

/** The name to show for someone on the list or the floor: the delegation, then the person. */
function speakerLabel(names: TPanelProps['names'], entry: { delegationId: string | null; userId: string | null }) {
  const delegation = names.delegation(entry.delegationId);
  const person = names.person(entry.userId);
  return { main: delegation ?? person ?? '—', detail: delegation && person ? person : null };
}

/**
 * S81: the head of the delegation on the floor, or the chair, names who speaks in its name among
 * the delegation's people; the server checks both the sender and the person.
 */
function SpeakerPicker({ view, run, busy, speechId, delegationId, userId }: Pick<TPanelProps, 'view' | 'run' | 'busy'> & { speechId: string; delegationId: string; userId: string | null }) {
  const t = useTranslations('room.floor');
  const id = useId();
  const people = view.directory.people.filter((person) => person.delegationId === delegationId && SPEAKING_ROLES.includes(person.role));
  if (people.length < 2 && people.some((person) => person.userId === userId)) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = String(new FormData(event.currentTarget).get('userId') ?? '');
    if (chosen && chosen !== userId) void run('floor.designate', { speechId, userId: chosen });
  };
  return (
    <form className="cluster room-inline-form" onSubmit={submit} aria-label={t('designate.form')}>
      <div className="field">
        <label htmlFor={`${id}-speaker`}>{t('designate.label')}</label>
        <select key={userId ?? ''} id={`${id}-speaker`} name="userId" defaultValue={userId ?? ''}>
          {userId === null && <option value="">{t('designate.none')}</option>}
          {people.map((person) => (
            <option key={person.userId} value={person.userId}>
              {person.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="secondary" disabled={busy}>
        {t('designate.action')}
      </button>
    </form>
  );
}

/**
 * S10, S13: who has the floor and the speech's timer, computed from the server's times and the
 * server clock, with warning and overrun said in words as well as colours. The chair pauses,
 * resumes, ends, and gives the floor directly to a delegation.
 */
export function FloorPanel({ view, names, run, busy, now }: TPanelProps) {
  const t = useTranslations('room.floor');
  const { state, viewer, directory } = view;
  const speech = state.floor.speech;
  const manage = viewer.may.manageFloor;
  const reading = speech ? readTimer(speech, now) : null;
  const label = speech ? speakerLabel(names, speech) : null;
  const stateText = !reading
    ? ''
    : reading.level === 'overrun'
      ? t('state.overrun', { time: formatDuration(reading.remainingMs) })
      : reading.phase !== 'running'
        ? t(`state.${reading.phase}`)
        : reading.level === 'warning'
          ? t('state.warning')
          : t('state.running');
  // Said once by screen readers when it changes: a new speaker, the warning, the overrun.
  const announcement = !speech || !label ? t('announce.ended') : reading?.level === 'normal' ? t('announce.speaking', { name: label.main }) : t(`announce.${reading?.level ?? 'warning'}`, { name: label.main });

  return (
    <section className="card room-floor" aria-labelledby="floor-heading" data-level={reading?.level ?? 'idle'}>
      <h2 id="floor-heading">{t('heading')}</h2>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {!speech || !reading || !label ? (
        <p className="floor-empty">{t('nobody')}</p>
      ) : (
        <div className="floor-now">
          <p className="floor-speaker">
            <span className="visually-hidden">{t('speaker')}: </span>
            <span className="floor-name">{label.main}</span>
            {label.detail && <span className="muted">{label.detail}</span>}
            <span className={`badge kind-${speech.kind}`}>{t(`kinds.${speech.kind}`)}</span>
          </p>
          <p className="floor-timer" role="timer" aria-label={t('timerLabel')} data-level={reading.level} data-phase={reading.phase}>
            {reading.remainingMs < 0 ? '+' : ''}
            {formatDuration(reading.remainingMs)}
          </p>
          <p className="floor-state">
            <strong>{stateText}</strong> <span className="muted">· {t('limit', { time: formatDuration(speech.limitSeconds * 1000) })}</span>
          </p>
          {viewer.may.designateSpeaker && state.status === 'live' && speech.delegationId !== null && mayDesignateSpeakerOf(viewer, speech.delegationId) && (
            <SpeakerPicker view={view} run={run} busy={busy} speechId={speech.speechId} delegationId={speech.delegationId} userId={speech.userId} />
          )}
          {manage && !sessionIsOver(state.status) && (
            <div className="cluster">
              {reading.phase === 'running' ? (
                <button type="button" className="secondary" disabled={busy || state.status !== 'live'} onClick={() => void run('speech.pause', { speechId: speech.speechId })}>
                  {t('pause')}
                </button>
              ) : (
                <button type="button" className="secondary" disabled={busy || state.status !== 'live'} onClick={() => void run('speech.resume', { speechId: speech.speechId })}>
                  {t('resume')}
                </button>
              )}
              <button type="button" className="danger" disabled={busy} onClick={() => void run('speech.end', { speechId: speech.speechId })}>
                {t('end')}
              </button>
            </div>
          )}
        </div>
      )}
      {manage && state.status === 'live' && directory.delegations.length > 0 && (
        <DelegationPickForm
          formLabel={t('giveDirectly')}
          label={t('delegationLabel')}
          action={t('give')}
          delegations={directory.delegations}
          busy={busy}
          onPick={(delegationId) => void run('floor.grant', { delegationId })}
        />
      )}
    </section>
  );
}

/**
 * S5–S7, S12: the speakers' list in speaking order (points of order first), raise hand with a kind,
 * withdraw; the chair gives the floor, moves, skips and removes. Budgets show what is left.
 */
export function SpeakersPanel({ view, names, run, busy, now }: TPanelProps) {
  const t = useTranslations('room');
  const id = useId();
  const { state, viewer } = view;
  const queue = state.floor.queue;
  const live = state.status === 'live';
  const manage = viewer.may.manageFloor;
  const me = entrantOf({ userId: viewer.userId, delegationId: viewer.delegationId });
  const observer = viewer.role === 'observer' || viewer.delegationStatus === 'observer';

  const request = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run('floor.request', { kind: String(new FormData(event.currentTarget).get('kind') ?? 'regular') as TFloorKind });
  };

  return (
    <section className="card room-speakers" aria-labelledby="speakers-heading">
      <h2 id="speakers-heading">{t('speakers.heading', { count: queue.length })}</h2>
      {queue.length === 0 ? (
        <p className="empty">{t('speakers.empty')}</p>
      ) : (
        <ol className="speakers-list">
          {queue.map((entry) => {
            const label = speakerLabel(names, entry);
            const mine = entrantOf(entry) === me;
            const position = indexInClass(queue, entry.requestId);
            const movable = manage && !isFirstClass(entry.kind);
            return (
              <li key={entry.requestId} className={isFirstClass(entry.kind) ? 'first-class' : undefined}>
                <div className="speaker-entry">
                  <span className="speaker-name">{label.main}</span>
                  {label.detail && <span className="muted">{label.detail}</span>}
                  <span className={`badge kind-${entry.kind}`}>{t(`floor.kinds.${entry.kind}`)}</span>
                  {mine && <span className="badge neutral">{t('speakers.yours')}</span>}
                </div>
                <div className="cluster row-actions">
                  {manage && live && (
                    <button type="button" className="small" disabled={busy} aria-label={t('speakers.grantTo', { name: label.main })} onClick={() => void run('floor.grant', { requestId: entry.requestId })}>
                      {t('speakers.grant')}
                    </button>
                  )}
                  {movable && (
                    <>
                      <button type="button" className="small secondary" disabled={busy || position === 0} aria-label={t('speakers.moveUp', { name: label.main })} onClick={() => void run('floor.move', { requestId: entry.requestId, toIndex: position - 1 })}>
                        ↑
                      </button>
                      <button type="button" className="small secondary" disabled={busy || position === classSize(queue, entry.kind) - 1} aria-label={t('speakers.moveDown', { name: label.main })} onClick={() => void run('floor.move', { requestId: entry.requestId, toIndex: position + 1 })}>
                        ↓
                      </button>
                    </>
                  )}
                  {manage && live && (
                    <button type="button" className="small secondary" disabled={busy} aria-label={t('speakers.skipEntry', { name: label.main })} onClick={() => void run('floor.skip', { requestId: entry.requestId })}>
                      {t('speakers.skip')}
                    </button>
                  )}
                  {manage && (
                    <button type="button" className="small danger" disabled={busy} aria-label={t('speakers.removeEntry', { name: label.main })} onClick={() => void run('floor.remove', { requestId: entry.requestId })}>
                      {t('speakers.remove')}
                    </button>
                  )}
                  {mine && viewer.may.requestFloor && (
                    <button type="button" className="small secondary" disabled={busy} aria-label={t('speakers.withdrawEntry', { kind: t(`floor.kinds.${entry.kind}`) })} onClick={() => void run('floor.withdraw', { requestId: entry.requestId })}>
                      {t('speakers.withdraw')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {state.floor.settings.budgets.length > 0 && (
        <ul className="budget-list">
          {state.floor.settings.budgets.map((budget) => (
            <li key={budget.label}>{t('settings.budgetLeft', { label: budget.label, time: formatDuration(Math.max(0, budgetRemainingMs(state, budget, now))) })}</li>
          ))}
        </ul>
      )}
      {viewer.may.requestFloor && (
        <div className="room-form">
          <h3>{t('speakers.requestHeading')}</h3>
          {!live ? (
            <p className="muted">{t('speakers.notLive')}</p>
          ) : observer && !state.floor.settings.observersMayTakeFloor ? (
            <p className="muted">{t('speakers.observersClosed')}</p>
          ) : (
            <form className="cluster room-inline-form" onSubmit={request}>
              <div className="field">
                <label htmlFor={`${id}-kind`}>{t('speakers.kindLabel')}</label>
                <select id={`${id}-kind`} name="kind" defaultValue="regular">
                  {FLOOR_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`floor.kinds.${kind}`)}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" disabled={busy}>
                {t('speakers.request')}
              </button>
            </form>
          )}
        </div>
      )}
    </section>
  );
}

/** The member delegations of each stakeholder type, for budgets by type. */
function delegationsByKind(view: TPanelProps['view']) {
  return ACTOR_KINDS.map((kind) => ({
    kind,
    delegationIds: view.directory.delegations.filter((delegation) => delegation.kind === kind).map((delegation) => delegation.delegationId),
  })).filter((group) => group.delegationIds.length > 0);
}

const sameMembers = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

/** S6, S11, S12: the chair's rules for the list — entries per delegation, observers, limits, budgets. */
export function FloorSettingsPanel({ view, run, busy }: Pick<TPanelProps, 'view' | 'run' | 'busy'>) {
  const t = useTranslations();
  const id = useId();
  const settings = view.state.floor.settings;
  const groups = delegationsByKind(view);

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const number = (name: string) => Number(data.get(name));
    const next: TFloorSettings = {
      maxEntriesPerDelegation: number('maxEntriesPerDelegation'),
      observersMayTakeFloor: data.get('observersMayTakeFloor') === 'on',
      limitSeconds: Object.fromEntries(FLOOR_KINDS.map((kind) => [kind, number(`limit-${kind}`)])) as TFloorSettings['limitSeconds'],
      warningSeconds: number('warningSeconds'),
      budgets: groups.flatMap((group) => {
        const minutes = String(data.get(`budget-${group.kind}`) ?? '').trim();
        return minutes ? [{ label: t(`actorKinds.${group.kind}`), delegationIds: group.delegationIds, seconds: Math.round(Number(minutes) * 60) }] : [];
      }),
    };
    void run('floor.settings', { settings: next });
  };

  return (
    <section className="card room-settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('room.settings.heading')}</h2>
      {/* Keyed by the settings, so the fields show what the room holds after every change. */}
      <form key={JSON.stringify(settings)} className="room-settings-form" onSubmit={save}>
        <fieldset>
          <legend>{t('room.settings.listLegend')}</legend>
          <div className="field">
            <label htmlFor={`${id}-max`}>{t('room.settings.maxEntries')}</label>
            <input id={`${id}-max`} name="maxEntriesPerDelegation" type="number" min={1} max={10} defaultValue={settings.maxEntriesPerDelegation} />
          </div>
          <label className="check">
            <input name="observersMayTakeFloor" type="checkbox" defaultChecked={settings.observersMayTakeFloor} />
            {t('room.settings.observers')}
          </label>
        </fieldset>
        <fieldset>
          <legend>{t('room.settings.limitsLegend')}</legend>
          {FLOOR_KINDS.map((kind) => (
            <div className="field" key={kind}>
              <label htmlFor={`${id}-limit-${kind}`}>{t('room.settings.limit', { kind: t(`room.floor.kinds.${kind}`) })}</label>
              <input id={`${id}-limit-${kind}`} name={`limit-${kind}`} type="number" min={10} max={3600} defaultValue={settings.limitSeconds[kind]} />
            </div>
          ))}
          <div className="field">
            <label htmlFor={`${id}-warning`}>{t('room.settings.warning')}</label>
            <input id={`${id}-warning`} name="warningSeconds" type="number" min={0} max={600} defaultValue={settings.warningSeconds} />
          </div>
        </fieldset>
        {groups.length > 0 && (
          <fieldset>
            <legend>{t('room.settings.budgetsLegend')}</legend>
            {groups.map((group) => {
              const current = settings.budgets.find((budget) => sameMembers(budget.delegationIds, group.delegationIds));
              return (
                <div className="field" key={group.kind}>
                  <label htmlFor={`${id}-budget-${group.kind}`}>{t('room.settings.budgetFor', { kind: t(`actorKinds.${group.kind}`) })}</label>
                  <input id={`${id}-budget-${group.kind}`} name={`budget-${group.kind}`} type="number" min={1} max={600} defaultValue={current ? current.seconds / 60 : ''} />
                </div>
              );
            })}
          </fieldset>
        )}
        <button type="submit" className="secondary" disabled={busy}>
          {t('room.settings.save')}
        </button>
      </form>
    </section>
  );
}
