'use client';

import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { TMediaTicket } from '@/lib/server/video/media-transport';
import type { TPanelProps } from './SessionRoomClient';

// LiveKit's client is large: it loads only when someone joins the video.
const LiveKitStage = dynamic(() => import('./LiveKitStageClient').then((module) => module.LiveKitStage), { ssr: false });

/**
 * The session's video (PROTOCOL.md V1–V17): the chair's moderation, and joining with the ticket the
 * server issues — a LiveKit token whose grants the server enforces, or the mesh's advisory grants.
 */
export function VideoPanel({ view, run, busy }: Pick<TPanelProps, 'view' | 'run' | 'busy'>) {
  const t = useTranslations('room.video');
  const { state, viewer } = view;
  const [ticket, setTicket] = useState<TMediaTicket | null>(null);
  const [failure, setFailure] = useState<'forbidden' | 'unavailable' | null>(null);
  const moderate = viewer.may.moderateVideo && state.status !== 'closed';

  const join = async () => {
    setFailure(null);
    const response = await fetch(`/api/sessions/${state.sessionId}/media-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => null);
    if (!response?.ok) {
      setFailure(response?.status === 403 ? 'forbidden' : 'unavailable');
      return;
    }
    setTicket((await response.json()) as TMediaTicket);
  };

  return (
    <section className="card room-video" aria-labelledby="video-heading">
      <div className="panel-head">
        <h2 id="video-heading">{t('heading')}</h2>
        <span className="badge">{t(`mode.${state.video.mode}`)}</span>
      </div>
      {moderate && (
        <div className="cluster" role="group" aria-label={t('moderation')}>
          <button type="button" className="small secondary" disabled={busy} onClick={() => void run('video.set_mode', { mode: state.video.mode === 'formal' ? 'informal' : 'formal' })}>
            {t(state.video.mode === 'formal' ? 'makeInformal' : 'makeFormal')}
          </button>
          <button type="button" className="small secondary" disabled={busy} onClick={() => void run('video.mute_all_but_floor', {})}>
            {t('muteAllButFloor')}
          </button>
        </div>
      )}
      {failure && (
        <p className="alert error" role="alert">
          {t(`errors.${failure}`)}
        </p>
      )}
      {!ticket && state.status !== 'closed' && (
        <button type="button" onClick={() => void join()}>
          {t('join')}
        </button>
      )}
      {ticket && (
        <p className="muted" role="status">
          {ticket.grants.canPublishSources.length === 0 ? t('listenOnly') : t('mayPublish', { sources: ticket.grants.canPublishSources.filter((source) => source !== 'screen_share_audio').map((source) => t(`sources.${source}`)).join(', ') })}
        </p>
      )}
      {ticket?.transport === 'mesh' && <p className="alert">{t('meshNotBuilt')}</p>}
      {ticket?.transport === 'livekit' && <LiveKitStage ticket={ticket} onLeave={() => setTicket(null)} onFailure={() => setFailure('unavailable')} />}
    </section>
  );
}
