'use client';

import dynamic from 'next/dynamic';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Socket } from 'socket.io-client';
import type { TMediaTicket } from '@/lib/server/video/media-transport';
import { mediaGrantsNow, sideRoomOf } from '@/lib/session/room/reduce-media';
import { LANGUAGES, sessionIsOver, type TLanguage } from '@/lib/shared/domain';
import { MeshStage } from './MeshStageClient';
import type { TPanelProps } from './SessionRoomClient';

// LiveKit's client is large: it loads only when someone joins the video.
const LiveKitStage = dynamic(() => import('./LiveKitStageClient').then((module) => module.LiveKitStage), { ssr: false });

const CHANNELS = ['floor', ...LANGUAGES] as const;

/** What "You may share" lists, the microphone first: the floor opens it. */
const SHARED_SOURCES = ['microphone', 'camera', 'screen_share'] as const;

/**
 * The session's video (PROTOCOL.md V1–V39): the chair's moderation and recording, the interpreters'
 * booths, and joining with the ticket the server issues — a LiveKit token whose grants the server
 * enforces, or the mesh's advisory grants — to the plenary or to the side room the viewer is in.
 * In the mesh the video follows the viewer (V39): moving into a side room or back to the plenary
 * fetches the ticket of the room they are in now, and the stage joins that room's mesh.
 */
export function VideoPanel({ socket, view, names, run, busy }: Pick<TPanelProps, 'view' | 'names' | 'run' | 'busy'> & { socket: Socket }) {
  const t = useTranslations('room.video');
  const format = useFormatter();
  const id = useId();
  const { state, viewer } = view;
  // The ticket with the room it admits to (null: the plenary).
  const [held, setHeld] = useState<{ ticket: TMediaTicket; sideRoomId: string | null } | null>(null);
  const ticket = held?.ticket ?? null;
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('floor');
  const [failure, setFailure] = useState<'forbidden' | 'unavailable' | 'invalid' | null>(null);
  const open = !sessionIsOver(state.status);
  const moderate = viewer.may.moderateVideo && open;
  const sideRoom = sideRoomOf(state, viewer.userId);
  const place = sideRoom?.sideRoomId ?? null;
  // What the viewer may publish now in the room the ticket admits to: the floor, the mode and the
  // booths move it after joining, as they move the server's grants (V8, V22, V36).
  const grants = held && viewer.role
    ? mediaGrantsNow(state, { userId: viewer.userId, role: viewer.role, delegationId: viewer.delegationId }, viewer.role === 'interpreter' ? channel : 'floor', held.sideRoomId)
    : (ticket?.grants ?? null);

  const join = async (sideRoomId: string | null) => {
    setFailure(null);
    const body = JSON.stringify({ language: channel, ...(sideRoomId ? { sideRoomId } : {}) });
    const response = await fetch(`/api/sessions/${state.sessionId}/media-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => null);
    if (!response?.ok) {
      setHeld(null);
      setFailure(response?.status === 403 ? 'forbidden' : response?.status === 400 ? 'invalid' : 'unavailable');
      return;
    }
    setHeld({ ticket: (await response.json()) as TMediaTicket, sideRoomId });
  };

  // A LiveKit token admits to one media room: after a move the person joins the new one (V26).
  if (held?.ticket.transport === 'livekit' && held.sideRoomId !== place) setHeld(null);
  // V39: joined to the mesh, the video moves with the viewer (once per move, however often this renders).
  const moving = useRef<string | null | undefined>(undefined);
  const moved = held?.ticket.transport === 'mesh' && held.sideRoomId !== place;
  useEffect(() => {
    if (!moved || moving.current === place) return;
    moving.current = place;
    void join(place).finally(() => {
      moving.current = undefined;
    });
  });

  return (
    <section className="card room-video" aria-labelledby="video-heading">
      <div className="panel-head">
        <h2 id="video-heading">{sideRoom ? t('sideRoomHeading', { title: sideRoom.title }) : t('heading')}</h2>
        {/* V26: the plenary's mode is about its floor; a side room has none. */}
        <span className="badge">{sideRoom ? t('sideRoomMode') : t(`mode.${state.video.mode}`)}</span>
      </div>
      {moderate && (
        <div className="cluster" role="group" aria-label={t('moderation')}>
          <button type="button" className="small secondary" disabled={busy} onClick={() => void run('video.set_mode', { mode: state.video.mode === 'formal' ? 'informal' : 'formal' })}>
            {t(state.video.mode === 'formal' ? 'makeInformal' : 'makeFormal')}
          </button>
          <button type="button" className="small secondary" disabled={busy} onClick={() => void run('video.mute_all_but_floor', {})}>
            {t('muteAllButFloor')}
          </button>
          {view.media.transport === 'livekit' &&
            (state.video.recording ? (
              <button type="button" className="small danger" disabled={busy || state.video.recording.status !== 'on'} onClick={() => void run('video.stop_recording', {})}>
                {t('stopRecording')}
              </button>
            ) : (
              <button type="button" className="small secondary" disabled={busy || state.status !== 'live'} onClick={() => void run('video.start_recording', {})}>
                {t('startRecording')}
              </button>
            ))}
        </div>
      )}
      {moderate && view.media.transport === 'mesh' && <p className="muted">{t('recordingNeedsServer')}</p>}
      <Booths view={view} names={names} run={run} busy={busy} />
      {failure && (
        <p className="alert error" role="alert">
          {t(`errors.${failure}`)}
        </p>
      )}
      {open && (!ticket || viewer.role !== 'interpreter') && (
        <div className="cluster">
          <div className="field">
            {/* An interpreter's channel is fixed by their ticket; a listener may switch while joined. */}
            <label htmlFor={`${id}-channel`}>{viewer.role === 'interpreter' ? t('interpretInto') : t('listenTo')}</label>
            <select id={`${id}-channel`} value={channel} onChange={(event) => setChannel(event.target.value as (typeof CHANNELS)[number])}>
              {CHANNELS.map((language) => (
                <option key={language} value={language}>
                  {t(`channels.${language}`)}
                </option>
              ))}
            </select>
          </div>
          {!ticket && (
            <button type="button" onClick={() => void join(place)}>
              {sideRoom ? t('joinSideRoom') : t('join')}
            </button>
          )}
        </div>
      )}
      {grants && (
        <p className="muted" role="status">
          {grants.canPublishSources.length === 0
            ? t('listenOnly')
            : t('mayPublish', { sources: format.list(SHARED_SOURCES.filter((source) => grants.canPublishSources.includes(source)).map((source) => t(`sources.${source}`))) })}
        </p>
      )}
      {ticket?.transport === 'mesh' &&
        (moved ? (
          <p className="muted" role="status">
            {t('mesh.moving')}
          </p>
        ) : (
          <MeshStage
            key={place ?? 'plenary'}
            socket={socket}
            view={view}
            names={names}
            run={run}
            busy={busy}
            ticket={ticket}
            grants={grants}
            channel={channel}
            sideRoomId={place}
            roomTitle={sideRoom?.title ?? null}
            onLeave={() => setHeld(null)}
          />
        ))}
      {ticket?.transport === 'livekit' && <LiveKitStage ticket={ticket} channel={channel} onLeave={() => setHeld(null)} onFailure={() => setFailure('unavailable')} />}
    </section>
  );
}

/**
 * V21: who holds each language's booth, and the handover: the chair to any interpreter present, an
 * interpreter from their booth to a colleague (or into an empty booth themselves).
 */
function Booths({ view, names, run, busy }: Pick<TPanelProps, 'view' | 'names' | 'run' | 'busy'>) {
  const t = useTranslations('room.video');
  const id = useId();
  const { state, viewer } = view;
  const interpreters = state.attendance.present.filter((person) => person.role === 'interpreter');
  const canHandOver = viewer.may.handOverBooth && !sessionIsOver(state.status) && interpreters.length > 0;
  if (state.video.booths.length === 0 && !canHandOver) return null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // The server validates both; an unknown language is refused there.
    void run('interpretation.hand_over', { language: String(form.get('language')) as TLanguage, userId: String(form.get('userId')) });
  };

  return (
    <div>
      <h3>{t('booths.heading')}</h3>
      {state.video.booths.length > 0 ? (
        <ul className="attendance-list">
          {state.video.booths.map((booth) => (
            <li key={booth.language}>
              <span>{t(`channels.${booth.language}`)}</span>
              <span>{names.person(booth.userId) ?? t('booths.someone')}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('booths.none')}</p>
      )}
      {canHandOver && (
        <form className="cluster room-inline-form" onSubmit={submit} aria-label={t('booths.handOver')}>
          <div className="field">
            <label htmlFor={`${id}-language`}>{t('booths.language')}</label>
            <select id={`${id}-language`} name="language">
              {LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`channels.${language}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-interpreter`}>{t('booths.to')}</label>
            <select id={`${id}-interpreter`} name="userId" defaultValue={viewer.role === 'interpreter' ? viewer.userId : undefined}>
              {interpreters.map((person) => (
                <option key={person.userId} value={person.userId}>
                  {names.person(person.userId) ?? person.userId}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="secondary" disabled={busy}>
            {t('booths.handOver')}
          </button>
        </form>
      )}
    </div>
  );
}
