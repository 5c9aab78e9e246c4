/**
 * The state of one session's room (agenda, floor, attendance) as the reducer builds it from the
 * session log. Plain JSON data: the server sends it to browsers as it is, and a replay of the stored
 * log must produce exactly the state the live room holds.
 */
import type { TDelegationStatus, TFloorKind, TLanguage, TQuorumRule, TRole, TSessionStatus } from '../../shared/domain';
import { DEFAULT_QUORUM_RULE } from '../../shared/domain';
import type { TMediaMode } from '../../policy/media';
import type { THashedEventFields } from '../event-hash';
import { EMPTY_DECISIONS, type TDecisionsState } from './decisions';
import type { TChatMessage, TConsultation } from './chat';
import type { TNoteEntry, TPositionMapVisibility, TStanceEntry } from './positions';
import { DEFAULT_FLOOR_SETTINGS, type TFloorSettings } from './settings';

/**
 * One stored event of the session log as the reducer reads it: what the hash covers, without the
 * session id (a room folds one session). `at` is server time in epoch milliseconds; every duration
 * in the room is computed from it.
 */
export type TRoomEvent = Omit<THashedEventFields, 'sessionId'> & {
  /**
   * Text kept beside the log rather than in it (a chat message's), which the log covers by its
   * hash in the payload; absent once erased (a message the chair deleted).
   */
  content?: string;
};

export interface TAgendaItem {
  itemId: string;
  title: string;
  plannedMinutes: number | null;
  /** When the item first became the current one. */
  takenUpAt: number | null;
  /** When the chair last moved on from it (null while current or not yet reached). */
  doneAt: number | null;
  /** The negotiation's document the item is about, when the chair named one (S9). */
  documentId?: string;
}

export interface TFloorRequest {
  requestId: string;
  kind: TFloorKind;
  userId: string;
  delegationId: string | null;
  requestedAt: number;
}

/**
 * The speech on the floor. The server's times are the only clock: the remaining time is
 * `limit − (elapsedMs + (now − runningSince))` while running, `limit − elapsedMs` while paused.
 */
export interface TSpeech {
  speechId: string;
  requestId: string | null;
  kind: TFloorKind;
  userId: string | null;
  delegationId: string | null;
  grantedAt: number;
  limitSeconds: number;
  warningSeconds: number;
  /** When the timer first started (null: granted, not started yet). */
  startedAt: number | null;
  /** Since when the timer runs (null: not running). */
  runningSince: number | null;
  /** Time spoken before `runningSince`. */
  elapsedMs: number;
}

export interface TPresence {
  userId: string;
  delegationId: string | null;
  role: TRole;
  since: number;
}

export interface TRosterEntry {
  delegationId: string;
  status: TDelegationStatus;
}

export interface TSpokenTime {
  delegationId: string;
  ms: number;
}

export interface TSessionRoomState {
  sessionId: string;
  /** The last seq folded in; the next event must have seq + 1. */
  seq: number;
  title: string;
  scheduledStart: number | null;
  status: TSessionStatus;
  statusSince: number | null;
  agenda: { items: TAgendaItem[]; currentItemId: string | null };
  floor: {
    /** Waiting requests in speaking order: points of order first, then the others. */
    queue: TFloorRequest[];
    speech: TSpeech | null;
    settings: TFloorSettings;
    /** Finished speaking time per delegation (budgets and the record). */
    spoken: TSpokenTime[];
    speechCount: number;
  };
  attendance: {
    /** One entry per person present (however many tabs they have open). */
    present: TPresence[];
    /** The negotiation's delegations, for the quorum. */
    roster: TRosterEntry[];
    quorumRule: TQuorumRule;
    /** Whether the log holds a roster (sessions opened before rosters were recorded do not). */
    rosterRecorded: boolean;
  };
  /** Questions put to decision and their results; secret choices are never part of it (T38). */
  decisions: TDecisionsState;
  chat: {
    /** The newest messages of every channel; each viewer is sent only the channels they are in. */
    messages: TChatMessage[];
    /** People the chair muted in the plenary. */
    muted: string[];
    /** Whether observers may write in the plenary (the chair's setting; off by default). */
    observersMayWrite: boolean;
    consultations: TConsultation[];
  };
  positions: {
    visibility: TPositionMapVisibility;
    stances: TStanceEntry[];
    /** Each delegation's private notes on its positions. */
    notes: TNoteEntry[];
  };
  workspace: {
    /** Each delegation's private notes per paragraph. */
    notes: TNoteEntry[];
    /** A delegation shows its notes, read-only, to one consultation partner at most. */
    shares: TWorkspaceShare[];
  };
  video: {
    /** V7: formal until the chair says otherwise. */
    mode: TMediaMode;
    /** V10: people the chair removed from the media room; the token endpoint refuses them. */
    removed: string[];
    /** V18–V20: the recording running now (`starting` until the media server answered), or none. */
    recording: TRecordingNow | null;
    /** Every recording of the session with its start and stop in server time, to align the replay. */
    recordings: TRecording[];
    /** V21: the interpreter who holds each language's live channel. */
    booths: TBooth[];
  };
  /** V23–V25: breakout rooms with their own media room; the plenary shows who is away. */
  sideRooms: TSideRoom[];
}

export interface TRecordingNow {
  status: 'starting' | 'on';
  egressId: string | null;
  since: number;
}

export interface TRecording {
  egressId: string;
  startedAt: number;
  /** Null while it runs; the session's close stops it too. */
  stoppedAt: number | null;
}

export interface TBooth {
  language: TLanguage;
  userId: string;
  since: number;
}

export interface TSideRoom {
  sideRoomId: string;
  title: string;
  delegationIds: string[];
  /** People invited by name (an observer, an interpreter) besides the delegations' own. */
  userIds: string[];
  openedAt: number;
  closedAt: number | null;
  /** Who is in it now (away from the plenary), in order of arrival. */
  present: string[];
}

export interface TWorkspaceShare {
  delegationId: string;
  partnerDelegationId: string;
}

/** The room of a session whose log is still empty. */
export function emptySessionRoom(sessionId: string): TSessionRoomState {
  return {
    sessionId,
    seq: 0,
    title: '',
    scheduledStart: null,
    status: 'scheduled',
    statusSince: null,
    agenda: { items: [], currentItemId: null },
    floor: { queue: [], speech: null, settings: DEFAULT_FLOOR_SETTINGS, spoken: [], speechCount: 0 },
    attendance: { present: [], roster: [], quorumRule: DEFAULT_QUORUM_RULE, rosterRecorded: false },
    decisions: EMPTY_DECISIONS,
    chat: { messages: [], muted: [], observersMayWrite: false, consultations: [] },
    positions: { visibility: 'everyone', stances: [], notes: [] },
    workspace: { notes: [], shares: [] },
    video: { mode: 'formal', removed: [], recording: null, recordings: [], booths: [] },
    sideRooms: [],
  };
}
