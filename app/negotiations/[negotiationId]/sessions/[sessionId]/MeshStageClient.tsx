'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Socket } from 'socket.io-client';
import { holdsFloor, publishesInMesh, type TMediaGrants } from '@/lib/policy/media';
import type { TMediaTicket } from '@/lib/server/video/media-transport';
import type { TMediaChannel, TMeshPeer } from '@/lib/shared/mesh';
import { MeshRoom, type TMeshSnapshot } from './mesh-room';
import type { TPanelProps } from './SessionRoomClient';
import { sessionIsOver } from '@/lib/shared/domain';

/** Refusals and endings the stage explains; any other is "could not join". */
const SHOWN_ERRORS = ['room_full', 'no_devices', 'removed', 'session_closed', 'membership_changed', 'left_side_room', 'side_room_closed'] as const;

function shownError(error: TMeshSnapshot['error']): (typeof SHOWN_ERRORS)[number] | 'other' {
  return SHOWN_ERRORS.find((shown) => shown === error) ?? 'other';
}

/** V33: floor speakers stay audible under an interpretation, this much quieter. */
const FLOOR_UNDER_INTERPRETATION = 0.15;

type TMeshTicket = Extract<TMediaTicket, { transport: 'mesh' }>;

/** A video (or audio-only) element playing a stream at a volume; our own preview is always muted. */
function Media({ stream, volume, muted, audioOnly, label }: { stream: MediaStream | null; volume: number; muted: boolean; audioOnly?: boolean; label: string }) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (element && element.srcObject !== stream) element.srcObject = stream;
  }, [stream]);
  useEffect(() => {
    if (!ref.current) return;
    ref.current.volume = volume;
    ref.current.muted = muted;
  }, [volume, muted]);
  return audioOnly ? <audio ref={ref} autoPlay aria-label={label} /> : <video ref={ref} autoPlay playsInline muted={muted} aria-label={label} />;
}

/**
 * The mesh's stage (V27–V39) of the plenary or of the side room `sideRoomId` the viewer is in: a
 * tile per person sharing, the floor's spotlit, one's own controls,
 * the interpretation channel one listens to (`channel`, chosen in the panel; an interpreter's is the
 * one they publish), and the chair's advisory moderation. `grants` are the server's for the room's
 * state now (the panel computes them as the room's events move the floor and the booths); here the
 * browser applies them.
 */
export function MeshStage({
  socket,
  view,
  names,
  run,
  busy,
  ticket,
  grants,
  channel,
  sideRoomId,
  roomTitle,
  onLeave,
}: Pick<TPanelProps, 'view' | 'names' | 'run' | 'busy'> & {
  socket: Socket;
  ticket: TMeshTicket;
  grants: TMediaGrants | null;
  channel: TMediaChannel;
  sideRoomId: string | null;
  roomTitle: string | null;
  onLeave: () => void;
}) {
  const t = useTranslations('room.video');
  const { state, viewer } = view;
  const sources = ticket.grants.canPublishSources;
  const participant = viewer.role ? { userId: viewer.userId, role: viewer.role, delegationId: viewer.delegationId } : null;
  const interpreter = viewer.role === 'interpreter';
  // An interpreter's channel is fixed by the ticket (the panel hides the choice once joined); for
  // everyone else the channel is only what they listen to, and changing it joins nothing anew.
  const language: TMediaChannel = interpreter ? channel : 'floor';
  const listening: TMediaChannel = interpreter ? 'floor' : channel;
  const [publish, setPublish] = useState(participant !== null && publishesInMesh(participant));
  const [room, setRoom] = useState<MeshRoom | null>(null);

  const sessionId = state.sessionId;
  useEffect(() => {
    const mesh = new MeshRoom(socket, {
      room: sideRoomId === null ? { sessionId } : { sessionId, sideRoomId },
      language,
      publish,
      camera: publish && ticket.grants.canPublishSources.includes('camera'),
      // Every role that publishes may be given a microphone by the floor: taken now, closed until then.
      microphone: publish,
      joinMuted: ticket.joinMuted,
    });
    // The room is an external system that exists only in the browser, after mount.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRoom(mesh);
    void mesh.start();
    return () => mesh.close();
  }, [socket, ticket, sessionId, sideRoomId, language, publish]);

  const snapshot = useSyncExternalStore(room?.subscribe ?? noSubscription, room?.current ?? noSnapshot, noSnapshot);
  const microphoneAllowed = Boolean(grants?.canPublishSources.includes('microphone'));
  useEffect(() => room?.setMicrophoneAllowed(microphoneAllowed), [room, microphoneAllowed]);

  if (!snapshot) return null;
  // V39: which room's video this is, the plenary's or the side room's the viewer is in.
  const advisory = (
    <>
      <h3>{sideRoomId === null ? t('mesh.inPlenary') : t('mesh.inSideRoom', { title: roomTitle ?? '' })}</h3>
      <p className="alert">{t('mesh.advisory')}</p>
    </>
  );
  if (snapshot.status === 'refused' || (snapshot.status === 'closed' && snapshot.error)) {
    return (
      <div className="mesh-stage">
        {advisory}
        <p className="alert error" role="alert">
          {t(`mesh.errors.${shownError(snapshot.error)}`)}
        </p>
        <div className="cluster">
          {publish && (snapshot.error === 'room_full' || snapshot.error === 'no_devices') && (
            <button type="button" className="secondary" onClick={() => setPublish(false)}>
              {t('mesh.listenInstead')}
            </button>
          )}
          <button type="button" className="secondary" onClick={onLeave}>
            {t('mesh.leave')}
          </button>
        </div>
      </div>
    );
  }

  const floorHolder = (peer: TMeshPeer) => sideRoomId === null && holdsFloor({ userId: peer.userId, role: peer.role, delegationId: peer.delegationId }, state.floor.speech);
  const remotes = snapshot.remotes.filter((remote) => remote.peer.publisher);
  const self = snapshot.self;
  // One's own tile among the others, the floor's first (a stable sort keeps the joining order otherwise).
  const tiles = [
    ...(self?.publisher && self.role !== 'interpreter' ? [{ peer: self, stream: snapshot.local, connection: 'connected' as const, own: true }] : []),
    ...remotes.filter((remote) => remote.peer.role !== 'interpreter').map((remote) => ({ ...remote, own: false })),
  ].sort((a, b) => Number(floorHolder(b.peer)) - Number(floorHolder(a.peer)));
  const interpreters = remotes.filter((remote) => remote.peer.role === 'interpreter');
  const listeners = snapshot.remotes.length - remotes.length;
  const channels = [...new Set(interpreters.map((remote) => remote.peer.language))].filter((channel) => channel !== 'floor');
  const interpreted = listening !== 'floor' && channels.includes(listening);
  const floorVolume = interpreted ? FLOOR_UNDER_INTERPRETATION : 1;
  const channelName = (name: TMediaChannel) => t(`channels.${name}`);
  const label = (peer: TMeshPeer) => [peer.name, names.delegation(peer.delegationId)].filter(Boolean).join(' · ');
  const microphoneLive = microphoneAllowed && !snapshot.muted && Boolean(snapshot.local?.getAudioTracks().length);
  const moderate = viewer.may.moderateVideo && !sessionIsOver(state.status);

  return (
    <div className="mesh-stage">
      {advisory}
      {snapshot.status === 'joining' && <p className="muted">{t('mesh.joining')}</p>}
      <ul className="mesh-tiles" aria-label={t('mesh.tiles')}>
        {tiles.map((remote) => (
          <li key={remote.peer.peerId} className={`mesh-tile${floorHolder(remote.peer) ? ' spotlight' : ''}`}>
            <figure>
              {remote.own ? (
                <Media stream={remote.stream} volume={0} muted label={t('mesh.yourVideo')} />
              ) : (
                <Media stream={remote.stream} volume={floorVolume} muted={false} label={t('mesh.videoOf', { name: remote.peer.name })} />
              )}
              <figcaption>
                {remote.own ? t('mesh.you', { name: label(remote.peer) }) : label(remote.peer)}
                {floorHolder(remote.peer) && <span className="badge ok">{t('mesh.hasFloor')}</span>}
                {remote.connection !== 'connected' && <span className="badge warn">{t(`mesh.connection.${remote.connection === 'failed' || remote.connection === 'disconnected' ? 'lost' : 'connecting'}`)}</span>}
              </figcaption>
            </figure>
            {moderate && !remote.own && (
              <div className="cluster">
                <button type="button" className="small secondary" disabled={busy} onClick={() => void run('video.mute_track', { userId: remote.peer.userId, trackSid: `TR_${remote.peer.peerId.replaceAll('-', '')}` })}>
                  {t('mesh.muteThem', { name: remote.peer.name })}
                </button>
                <button type="button" className="small danger" disabled={busy} onClick={() => void run('video.remove_participant', { userId: remote.peer.userId })}>
                  {t('mesh.removeThem', { name: remote.peer.name })}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {tiles.length === 0 && snapshot.status === 'joined' && <p className="muted">{t('mesh.nobodySharing')}</p>}
      {interpreters.map((remote) => (
        <Media key={remote.peer.peerId} stream={remote.stream} volume={1} muted={remote.peer.language !== listening} audioOnly label={t('mesh.channelOf', { language: channelName(remote.peer.language) })} />
      ))}
      <div className="cluster mesh-controls">
        {self?.publisher && (
          <button type="button" className="secondary" aria-pressed={!snapshot.muted} disabled={!microphoneAllowed} onClick={() => room?.setMuted(!snapshot.muted)}>
            {snapshot.muted ? t('mesh.unmute') : t('mesh.mute')}
          </button>
        )}
        {self?.publisher && sources.includes('camera') && (
          <button type="button" className="secondary" aria-pressed={snapshot.cameraOn} onClick={() => room?.setCameraOn(!snapshot.cameraOn)}>
            {snapshot.cameraOn ? t('mesh.cameraOff') : t('mesh.cameraOn')}
          </button>
        )}
        <button type="button" className="secondary" onClick={onLeave}>
          {t('mesh.leave')}
        </button>
      </div>
      <p className="muted" aria-live="polite" data-microphone={self?.publisher ? (microphoneLive ? 'live' : 'closed') : 'none'}>
        {self?.publisher
          ? microphoneLive
            ? t('mesh.microphoneLive')
            : microphoneAllowed
              ? t('mesh.microphoneMuted')
              : t(interpreter ? 'mesh.microphoneBooth' : 'mesh.microphoneClosed')
          : t('mesh.listening')}
        {self?.role === 'interpreter' && ` ${t('mesh.interpreting', { language: channelName(self.language) })}`}
        {listeners > 0 && ` ${t('mesh.listeners', { count: listeners })}`}
        {interpreted && ` ${t('mesh.hearing', { language: channelName(listening) })}`}
      </p>
    </div>
  );
}

const noSubscription = () => () => undefined;
const noSnapshot = (): TMeshSnapshot | null => null;
