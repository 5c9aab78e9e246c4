'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { TReplayBlock, TReplayDocument, TSessionReplayView } from '@/lib/server/sessions/replay/read-session-replay';
import type { TMarkerKind, TReplayTimeline } from '@/lib/server/sessions/replay/replay-timeline';
import { readTimer } from '@/lib/session/room/timer';
import { delegationColor } from '@/lib/shared/colors';
import { paragraphLabels } from '@/lib/documents/paragraph-labels';
import { ParagraphLabel } from '../../../components/DocumentBlocks';
import { SessionStatusBadge } from '../../../components/SessionStatusBadge';
import { RecordVerification } from '../../../components/RecordVerificationClient';
import { DecisionResults, QuestionSummary } from '../../../negotiations/[negotiationId]/sessions/[sessionId]/DecisionResultsClient';
import { AttendancePanel } from '../../../negotiations/[negotiationId]/sessions/[sessionId]/SessionRoomClient';
import { formatDuration, namesOf, type TRoomNames } from '../../../negotiations/[negotiationId]/sessions/[sessionId]/useSessionRoom';

const SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;
/** How often playback asks for the next moment (each answer is one request, ≤ 50 ms on the benchmark's largest log). */
const PLAY_TICK_MS = 250;
const MARKER_COLOURS: Record<TMarkerKind, string> = {
  status: 'var(--ink)',
  speech: '#2563eb',
  floor: '#0891b2',
  vote: '#b45309',
  amendment: '#7c3aed',
  paragraph: '#15803d',
  attendance: '#64748b',
  chat: '#db2777',
  video: '#475569',
};
const STATUS_BADGE = { pending: 'neutral', bracketed: 'warn', agreed_ad_ref: 'ok', agreed: 'ok' } as const;

type TTarget = { seq: number } | { t: number };

/** The replay's moment in the address bar, so the link opens this moment again. */
function rememberMoment(seq: number) {
  const url = new URL(window.location.href);
  url.searchParams.delete('t');
  url.searchParams.set('seq', String(seq));
  window.history.replaceState(null, '', url);
}

export function ReplayClient({ initial, timeline, invalidLink }: { initial: TSessionReplayView; timeline: TReplayTimeline; invalidLink: boolean }) {
  const t = useTranslations('replay');
  const format = useFormatter();
  const [view, setView] = useState(initial);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(8);
  const [dragAt, setDragAt] = useState<number | null>(null);
  const inFlight = useRef<AbortController | null>(null);
  const playhead = useRef(initial.atMs);
  const names = useMemo(() => namesOf(view.directory), [view.directory]);
  const firstAt = timeline.firstAt ?? view.atMs;
  const lastAt = timeline.lastAt ?? view.atMs;

  const goTo = useCallback(
    async (target: TTarget) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setLoading(true);
      const query = 'seq' in target ? `seq=${target.seq}` : `t=${encodeURIComponent(new Date(target.t).toISOString())}`;
      try {
        const response = await fetch(`/api/sessions/${view.sessionId}/replay?${query}`, { signal: controller.signal, cache: 'no-store' });
        if (!response.ok) throw new Error(String(response.status));
        const next = (await response.json()) as TSessionReplayView;
        setView(next);
        setFailed(false);
        rememberMoment(next.seq);
      } catch (error) {
        if ((error as Error).name !== 'AbortError') {
          setFailed(true);
          setPlaying(false);
        }
      } finally {
        if (inFlight.current === controller) {
          inFlight.current = null;
          setLoading(false);
        }
      }
    },
    [view.sessionId],
  );

  // Playback: a playhead that moves at the chosen speed; each tick shows the moment it reached.
  useEffect(() => {
    if (!playing) return;
    playhead.current = Math.max(playhead.current, view.atMs);
    const timer = window.setInterval(() => {
      if (inFlight.current) return;
      playhead.current += PLAY_TICK_MS * speed;
      if (playhead.current >= lastAt) {
        playhead.current = lastAt;
        setPlaying(false);
      }
      void goTo({ t: playhead.current });
    }, PLAY_TICK_MS);
    return () => window.clearInterval(timer);
    // The playhead continues from the shown moment when playback (re)starts, not on every answer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, speed, goTo, lastAt]);

  const step = (delta: number) => {
    setPlaying(false);
    const seq = Math.min(Math.max(view.seq + delta, 1), view.headSeq);
    playhead.current = view.atMs;
    void goTo({ seq });
  };
  const jump = (target: TTarget) => {
    setPlaying(false);
    if ('t' in target) playhead.current = target.t;
    void goTo(target);
  };
  const shownAt = dragAt ?? view.atMs;
  const momentText = t('moment', { time: format.dateTime(shownAt, { dateStyle: 'medium', timeStyle: 'medium' }), seq: view.seq, head: view.headSeq });

  return (
    <div className="stack">
      <header className="page-head">
        <div>
          <h1>{t('heading', { title: view.title })}</h1>
          {/* The session's status at the moment shown. */}
          <SessionStatusBadge status={view.room.status} />
          <RecordVerification sessionId={view.sessionId} />
        </div>
        <a className="button secondary" href={`/negotiations/${view.negotiationId}/sessions/${view.sessionId}`}>
          {t('backToRoom')}
        </a>
      </header>
      {invalidLink && (
        <p className="alert warn" role="status">
          {t('invalidLink')}
        </p>
      )}
      <section className="card replay-controls" aria-labelledby="replay-timeline-heading">
        <h2 id="replay-timeline-heading" className="visually-hidden">
          {t('timelineHeading')}
        </h2>
        <TimelineTrack timeline={timeline} firstAt={firstAt} lastAt={lastAt} currentAt={shownAt} onPick={(seq) => jump({ seq })} />
        <input
          type="range"
          className="replay-slider"
          min={firstAt}
          max={Math.max(lastAt, firstAt + 1)}
          step={1}
          value={shownAt}
          aria-label={t('slider')}
          aria-valuetext={momentText}
          onChange={(event) => {
            const at = Number(event.target.value);
            setDragAt(at);
            setPlaying(false);
            playhead.current = at;
            void goTo({ t: at });
          }}
          onPointerUp={() => setDragAt(null)}
          onKeyUp={() => setDragAt(null)}
          onBlur={() => setDragAt(null)}
        />
        <div className="replay-buttons cluster">
          <button type="button" className="secondary" onClick={() => step(-1)} disabled={view.seq <= 1} aria-label={t('previous')}>
            <span className="flip-in-rtl" aria-hidden="true">
              ←
            </span>{' '}
            <span className="visually-hidden-mobile">{t('previousShort')}</span>
          </button>
          <button type="button" onClick={() => setPlaying((value) => !value)} aria-pressed={playing} disabled={view.atMs >= lastAt && !playing}>
            {playing ? t('pause') : t('play')}
          </button>
          <button type="button" className="secondary" onClick={() => step(1)} disabled={view.seq >= view.headSeq} aria-label={t('next')}>
            <span className="visually-hidden-mobile">{t('nextShort')}</span>{' '}
            <span className="flip-in-rtl" aria-hidden="true">
              →
            </span>
          </button>
          <label className="cluster">
            {t('speed')}
            <select value={speed} onChange={(event) => setSpeed(Number(event.target.value) as (typeof SPEEDS)[number])}>
              {SPEEDS.map((value) => (
                <option key={value} value={value}>
                  {value}×
                </option>
              ))}
            </select>
          </label>
          <p className="replay-moment" aria-live="polite" data-seq={view.seq}>
            {momentText}
            {loading && <span className="muted"> · {t('loading')}</span>}
          </p>
        </div>
        {failed && (
          <p className="alert error" role="alert">
            {t('failed')}
          </p>
        )}
      </section>
      <div className="replay-layout">
        <div className="stack replay-documents">
          {view.documents.length === 0 && <p className="muted">{t('noDocuments')}</p>}
          {view.documents.map((document) => (
            <ReplayDocument key={document.id} document={document} view={view} names={names} />
          ))}
        </div>
        <div className="stack replay-side">
          <ReplayFloor view={view} names={names} />
          <ReplayRecording view={view} />
          <ReplayVotes view={view} names={names} />
          <AttendancePanel view={{ state: view.room, directory: view.directory }} names={names} />
          <ReplayChat view={view} names={names} />
        </div>
      </div>
    </div>
  );
}

/** Where the markers and the edits fall on the session's time, drawn as one strip; a marker is a button to its moment. */
function TimelineTrack({ timeline, firstAt, lastAt, currentAt, onPick }: { timeline: TReplayTimeline; firstAt: number; lastAt: number; currentAt: number; onPick: (seq: number) => void }) {
  const t = useTranslations('replay');
  const span = Math.max(lastAt - firstAt, 1);
  const x = (at: number) => ((at - firstAt) / span) * 100;
  const maxEdits = Math.max(1, ...timeline.edits.map((bucket) => bucket.count));
  const bucketWidth = Math.max(0.3, (timeline.bucketMs / span) * 100 - 0.1);
  const kinds = [...new Set(timeline.markers.map((marker) => marker.kind))];
  // Types outside the catalogue of labels (newer events) show as they are logged.
  const markerLabel = (type: string) => (t.has(`types.${type}` as 'types.chat.message_posted') ? t(`types.${type}` as 'types.chat.message_posted') : type);
  return (
    <div className="replay-track">
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden="true" className="replay-track-svg">
        {timeline.edits.map((bucket) => (
          <rect key={bucket.at} x={x(bucket.at)} width={bucketWidth} y={40 - (bucket.count / maxEdits) * 24} height={(bucket.count / maxEdits) * 24} fill="#9fb4d0" />
        ))}
        {timeline.markers.map((marker) => (
          <line key={marker.seq} x1={x(marker.at)} x2={x(marker.at)} y1={2} y2={14} stroke={MARKER_COLOURS[marker.kind]} strokeWidth={0.35} vectorEffect="non-scaling-stroke" />
        ))}
        <line x1={x(currentAt)} x2={x(currentAt)} y1={0} y2={40} stroke="var(--danger)" strokeWidth={2} vectorEffect="non-scaling-stroke" />
      </svg>
      {kinds.length > 0 && (
        <details className="replay-markers">
          <summary>{t('markers', { count: timeline.markers.length })}</summary>
          <ul className="cluster replay-legend">
            {kinds.map((kind) => (
              <li key={kind}>
                <span className="swatch" style={{ background: MARKER_COLOURS[kind] }} aria-hidden="true" /> {t(`kinds.${kind}`)}
              </li>
            ))}
          </ul>
          <ol className="replay-marker-list">
            {timeline.markers.slice(0, 500).map((marker) => (
              <li key={marker.seq}>
                <button type="button" className="link" onClick={() => onPick(marker.seq)}>
                  #{marker.seq} · {t(`kinds.${marker.kind}`)} · {markerLabel(marker.type)}
                </button>
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

function ReplayDocument({ document, view, names }: { document: TReplayDocument; view: TSessionReplayView; names: TRoomNames }) {
  const t = useTranslations('replay');
  const tStatus = useTranslations('editor.status.names');
  const id = useId();
  const colourOf = useMemo(() => {
    const position = new Map(view.directory.delegations.map((delegation, index) => [delegation.delegationId, index]));
    return (delegationId: string | null) => (delegationId === null ? null : delegationColor(position.get(delegationId) ?? null));
  }, [view.directory]);
  const writers = [...new Set(document.blocks.flatMap((block) => block.runs.map((run) => run.delegationId)).filter((value): value is string => value !== null))];
  const labels = paragraphLabels(document.blocks);
  return (
    <section className="card replay-document" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{document.title}</h2>
      {writers.length > 0 && (
        <ul className="cluster replay-legend" aria-label={t('authorsLegend')}>
          {writers.map((delegationId) => (
            <li key={delegationId}>
              <span className="swatch" style={{ background: colourOf(delegationId) ?? undefined }} aria-hidden="true" /> {names.delegation(delegationId)}
            </li>
          ))}
        </ul>
      )}
      <div className="replay-text" data-testid="replay-text">
        {document.blocks.map((block, index) => (
          <ReplayBlock key={block.pid ?? index} block={block} label={block.pid === null ? undefined : labels.get(block.pid)} colourOf={colourOf} names={names} statusLabel={tStatus(block.status)} />
        ))}
      </div>
    </section>
  );
}

function ReplayBlock({ block, label, colourOf, names, statusLabel }: { block: TReplayBlock; label: string | undefined; colourOf: (delegationId: string | null) => string | null; names: TRoomNames; statusLabel: string }) {
  const Tag = block.type === 'heading' ? 'h3' : 'p';
  return (
    <div className={`replay-block status-${block.status}`}>
      <Tag data-pid={block.pid ?? undefined}>
        <ParagraphLabel label={label} />
        {block.runs.map((run, index) => {
          const colour = colourOf(run.delegationId);
          let node: React.ReactNode = run.text;
          if (run.italic) node = <em>{node}</em>;
          if (run.bold) node = <strong>{node}</strong>;
          return (
            <span key={index} style={colour ? { backgroundColor: `${colour}1f`, boxShadow: `inset 0 -2px 0 ${colour}` } : undefined} title={names.delegation(run.delegationId) ?? undefined}>
              {node}
            </span>
          );
        })}
      </Tag>
      {block.type !== 'heading' && block.pid && <span className={`badge ${STATUS_BADGE[block.status]}`}>{statusLabel}</span>}
    </div>
  );
}

function ReplayFloor({ view, names }: { view: TSessionReplayView; names: TRoomNames }) {
  const t = useTranslations('replay');
  const { speech, queue } = view.floor;
  const reading = speech ? readTimer(speech, view.atMs) : null;
  return (
    <section className="card" aria-labelledby="replay-floor-heading">
      <h2 id="replay-floor-heading">{t('floorHeading')}</h2>
      {speech ? (
        <p data-testid="replay-speaker">
          <strong>{names.delegation(speech.delegationId) ?? names.person(speech.userId) ?? '—'}</strong>
          {reading && <span className="muted"> · {t(`speech.${reading.phase}`, { time: formatDuration(reading.remainingMs) })}</span>}
        </p>
      ) : (
        <p className="muted" data-testid="replay-speaker">
          {t('nobodySpeaking')}
        </p>
      )}
      <h3>{t('queueHeading', { count: queue.length })}</h3>
      {queue.length > 0 && (
        <ol className="attendance-list">
          {queue.map((request) => (
            <li key={request.requestId}>
              <span>{names.delegation(request.delegationId) ?? names.person(request.userId)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ReplayVotes({ view, names }: { view: TSessionReplayView; names: TRoomNames }) {
  const t = useTranslations('replay');
  const open = view.room.decisions.questions.find((question) => question.status === 'open');
  const closed = view.room.decisions.questions.filter((question) => question.result).reverse();
  if (!open && closed.length === 0) return null;
  return (
    <section className="card" aria-labelledby="replay-votes-heading">
      <h2 id="replay-votes-heading">{t('votesHeading')}</h2>
      {open && (
        <div data-testid="replay-open-question">
          <QuestionSummary question={open} names={names} />
          <p>{t('openVoted', { count: open.voted.length })}</p>
        </div>
      )}
      {closed.length > 0 && <DecisionResults questions={closed} names={names} />}
    </section>
  );
}

function ReplayChat({ view, names }: { view: TSessionReplayView; names: TRoomNames }) {
  const t = useTranslations('replay');
  const format = useFormatter();
  // The server sent only the channels this viewer is in (S76), as they stood at this moment.
  const messages = view.room.chat.messages.slice(-40);
  return (
    <section className="card" aria-labelledby="replay-chat-heading">
      <h2 id="replay-chat-heading">{t('chatHeading')}</h2>
      {messages.length === 0 ? (
        <p className="muted">{t('noChat')}</p>
      ) : (
        <ol className="replay-chat">
          {messages.map((message) => (
            <li key={message.messageId}>
              <span className="muted">
                {format.dateTime(message.at, { timeStyle: 'short' })} · {names.person(message.userId) ?? '—'}
                {message.channel.kind !== 'plenary' && ` · ${t(`channel.${message.channel.kind}`)}`}
              </span>
              <p>{message.text ?? <em>{t('deletedMessage')}</em>}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * Where this moment falls in the session's recordings (V18–V20 keep their start and stop in the
 * log): the offset to play a recording from. The files stay with the media server's storage.
 */
function ReplayRecording({ view }: { view: TSessionReplayView }) {
  const t = useTranslations('replay');
  const recordings = view.room.video.recordings.filter((recording) => recording.startedAt <= view.atMs && (recording.stoppedAt === null || view.atMs <= recording.stoppedAt));
  if (recordings.length === 0) return null;
  return (
    <section className="card" aria-labelledby="replay-recording-heading">
      <h2 id="replay-recording-heading">{t('recordingHeading')}</h2>
      <ul className="attendance-list">
        {recordings.map((recording) => (
          <li key={recording.egressId}>
            <span>{t('recordingOffset', { offset: formatDuration(view.atMs - recording.startedAt), id: recording.egressId })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
