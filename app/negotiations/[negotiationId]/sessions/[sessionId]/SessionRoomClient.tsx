'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useId } from 'react';
import { SessionEndDialog } from '../../../../components/ConfirmDialogClient';
import { RecordVerification } from '../../../../components/RecordVerificationClient';
import { SessionStatusBadge } from '../../../../components/SessionStatusBadge';
import type { Socket } from 'socket.io-client';
import { delegationsPresent, quorumOf } from '@/lib/session/room/quorum';
import type { TSessionRoomView } from '@/lib/session/room/view';
import { sessionIsOver, sessionTransitionsFrom, type TSessionAction, type TSessionStatus } from '@/lib/shared/domain';
import type { TDecisionOptions } from '@/lib/server/sessions/decision-options';
import { useSocket } from '../../../../components/useSocket';
import { AgendaPanel } from './AgendaPanelClient';
import { DecisionsPanel } from './DecisionsPanelClient';
import { DeliberationPanels, type TRoomDocument } from './DeliberationPanelsClient';
import { FloorPanel, FloorSettingsPanel, SpeakersPanel } from './FloorPanelsClient';
import { SideRoomsPanel } from './SideRoomsPanelClient';
import { VideoPanel } from './VideoPanelClient';
import { useServerClock, useSessionRoom, type TRoomNames, type TRunCommand } from './useSessionRoom';

/** The negotiation's documents: what positions, notes and agenda items may be about. */
type TRoomDocuments = TRoomDocument[];

/** The room page's live part: one socket, the room joined over it, and its panels. */
export function SessionRoomClient({ sessionId, title, decisionOptions, documents }: { sessionId: string; title: string; decisionOptions: TDecisionOptions; documents: TRoomDocuments }) {
  const socket = useSocket();
  const t = useTranslations('room');
  if (!socket) return <p className="muted">{t('connecting')}</p>;
  return <Room socket={socket} sessionId={sessionId} title={title} decisionOptions={decisionOptions} documents={documents} />;
}

function Room({ socket, sessionId, title, decisionOptions, documents }: { socket: Socket; sessionId: string; title: string; decisionOptions: TDecisionOptions; documents: TRoomDocuments }) {
  const t = useTranslations();
  const format = useFormatter();
  const room = useSessionRoom(socket, sessionId);
  const { view, status } = room;
  // The clock ticks only while a speech runs; everything else changes with events.
  const now = useServerClock(Boolean(view?.state.floor.speech?.runningSince), room.serverNow);

  if (status === 'refused') return <p className="alert error" role="alert">{t('room.notFound')}</p>;
  if (status === 'gone') return <p className="alert error" role="alert">{t('room.noAccess')}</p>;
  if (!view) return <p className="muted">{t('room.connecting')}</p>;
  const { state, viewer } = view;
  return (
    <>
      {/* The log position this screen shows: the replay at this seq shows the same room (R2). */}
      <header className="page-head room-head" data-room-seq={state.seq}>
        <div>
          <h1>{state.title || title}</h1>
          <p className="cluster">
            <SessionStatusBadge status={state.status} />
            {viewer.role && <span className="badge">{t('room.you', { role: t(`roles.${viewer.role}`) })}</span>}
            {/* V18: everyone knows when the room is recorded, from the chair's request on. */}
            {state.video.recording && (
              <span className="badge danger" role="status">
                {state.video.recording.status === 'on'
                  ? t('room.video.recordingSince', { time: format.dateTime(state.video.recording.since, { hour: '2-digit', minute: '2-digit' }) })
                  : t('room.video.recordingStarting')}
              </span>
            )}
            {status === 'offline' && (
              <span className="badge warn" role="status">
                {t('room.reconnecting')}
              </span>
            )}
          </p>
          {viewer.role !== 'interpreter' && <RecordVerification sessionId={sessionId} headSeq={state.seq} />}
        </div>
        {viewer.may.control && sessionTransitionsFrom(state.status).length > 0 && (
          <div className="cluster" role="group" aria-label={t('room.lifecycle')}>
            {sessionTransitionsFrom(state.status).map(([next, action]) => (
              <LifecycleAction key={next} next={next} action={action} run={room.run} busy={room.busy} />
            ))}
          </div>
        )}
      </header>
      {room.refusal && (
        <div className="alert error room-alert" role="alert">
          {t(`room.errors.${room.refusal}`)}
        </div>
      )}
      <div className="room-layout">
        <FloorPanel view={view} names={room.names} run={room.run} busy={room.busy} now={now} />
        {/* Moving to a side room or back is a new media room: the panel follows (V39). */}
        <VideoPanel socket={socket} view={view} names={room.names} run={room.run} busy={room.busy} />
        <SideRoomsPanel view={view} names={room.names} run={room.run} busy={room.busy} />
        <DecisionsPanel view={view} names={room.names} run={room.run} busy={room.busy} serverNow={room.serverNow} options={decisionOptions} />
        <SpeakersPanel view={view} names={room.names} run={room.run} busy={room.busy} now={now} />
        <AgendaPanel view={view} run={room.run} busy={room.busy} documents={documents} />
        <AttendancePanel view={view} names={room.names} />
        {viewer.may.manageFloor && !sessionIsOver(state.status) && <FloorSettingsPanel view={view} run={room.run} busy={room.busy} />}
      </div>
      <DeliberationPanels view={view} names={room.names} run={room.run} busy={room.busy} documents={documents} />
    </>
  );
}

/** One lifecycle button of the room (S2); cancelling and closing cannot be undone, so the chair confirms first. */
function LifecycleAction({ next, action, run, busy }: { next: TSessionStatus; action: TSessionAction; run: TRunCommand; busy: boolean }) {
  const t = useTranslations();
  const reasonId = useId();
  if (action !== 'cancel' && action !== 'close') {
    return (
      <button type="button" className="secondary" disabled={busy} onClick={() => void run('session.set_status', { status: next })}>
        {t(`sessionActions.${action}`)}
      </button>
    );
  }
  return (
    <SessionEndDialog action={action}>
      {/* method="dialog": submitting closes the dialog, and the room shows the outcome (or the refusal). */}
      <form
        method="dialog"
        className="form"
        onSubmit={(event) => {
          const reason = new FormData(event.currentTarget).get('reason');
          void run('session.set_status', { status: next, ...(typeof reason === 'string' && reason.trim() ? { reason } : {}) });
        }}
      >
        {action === 'cancel' && (
          <div className="field">
            <label htmlFor={reasonId}>{t('sessionConfirm.cancel.reason')}</label>
            <span className="hint" id={`${reasonId}-hint`}>
              {t('sessionConfirm.cancel.reasonHint')}
            </span>
            <textarea id={reasonId} name="reason" maxLength={500} aria-describedby={`${reasonId}-hint`} />
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="danger" disabled={busy}>
            {t(`sessionConfirm.${action}.confirm`)}
          </button>
        </div>
      </form>
    </SessionEndDialog>
  );
}

/** What every panel of the room receives. */
export interface TPanelProps {
  view: TSessionRoomView;
  names: TRoomNames;
  run: TRunCommand;
  busy: boolean;
  now: number;
}

/** S16, S17: who is here, which member delegations are present, and whether that makes a quorum. */
export function AttendancePanel({ view, names }: { view: Pick<TSessionRoomView, 'state' | 'directory'>; names: TRoomNames }) {
  const t = useTranslations();
  const { state, directory } = view;
  const quorum = quorumOf(state);
  const present = delegationsPresent(state);
  const staff = state.attendance.present.filter((person) => person.delegationId === null);
  return (
    <section className="card room-attendance" aria-labelledby="attendance-heading">
      <h2 id="attendance-heading">{t('room.attendance.heading')}</h2>
      <p className="cluster">
        <span className={`badge ${quorum.met ? 'ok' : 'warn'}`}>{quorum.met ? t('room.attendance.met') : t('room.attendance.notMet')}</span>
        <span>{t('room.attendance.quorum', { present: quorum.present, members: quorum.members, required: quorum.required })}</span>
      </p>
      <p className="muted">{t('room.attendance.rule', { rule: t(`quorumRules.${quorum.rule}`) })}</p>
      <p>{t('room.attendance.people', { count: state.attendance.present.length })}</p>
      <h3>{t('room.attendance.delegationsHeading')}</h3>
      <ul className="attendance-list">
        {directory.delegations.map((delegation) => (
          <li key={delegation.delegationId}>
            <span>
              {delegation.name}
              {delegation.status === 'observer' && <span className="muted"> · {t('room.attendance.observer')}</span>}
            </span>
            <span className={`badge ${present.has(delegation.delegationId) ? 'ok' : 'neutral'}`}>
              {present.has(delegation.delegationId) ? t('room.attendance.present') : t('room.attendance.absent')}
            </span>
          </li>
        ))}
      </ul>
      {staff.length > 0 && (
        <>
          <h3>{t('room.attendance.othersHeading')}</h3>
          <ul className="attendance-list">
            {staff.map((person) => (
              <li key={person.userId}>
                <span>{names.person(person.userId)}</span>
                <span className="muted">{t(`roles.${person.role}`)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
