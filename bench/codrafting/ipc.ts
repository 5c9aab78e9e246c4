/** Messages between the orchestrator (run.ts) and the client processes (client-process.ts). */
import type { TDocShape } from './doc-model';

export type TTarget = 'hocuspocus' | 'proxenia';

export interface TClientProcessConfig {
  target: TTarget;
  /** Hocuspocus: ws://…; Proxenia: http://… */
  url: string;
  /** Hocuspocus document name or Proxenia document id. */
  document: string;
  shape: TDocShape;
  field: string;
  /** JSON file with the edit stream (TEdit[]), written by the orchestrator. */
  editsFile: string;
  /** Milliseconds between two edits of one editor (Etherpad's author model: 400). */
  intervalMs: number;
  joinTimeoutMs: number;
  /** Light clients stop applying others' updates once synced (see adapters/types.ts). */
  clients: 'light' | 'full';
  /** Editors move their caret in awareness after each edit, as Tiptap's collaboration caret does. */
  cursors: boolean;
}

export interface TClientSpec {
  /** Unique across the run; viewers are identified by it in arrival records. */
  index: number;
  role: 'editor' | 'viewer';
  /** Proxenia only. */
  cookie?: string;
  localAddress?: string;
  name: string;
  /** Editors: where in the edit stream this editor starts (its paragraph is prefilled up to there). */
  startEdit: number;
  /** Editors: start typing as soon as synced (ramp), instead of waiting for `typing`. */
  typeOnJoin: boolean;
}

export type TToClient =
  | { t: 'add'; id: number; clients: TClientSpec[] }
  | { t: 'typing'; on: boolean }
  | { t: 'probe'; id: number; count: number; spec: Omit<TClientSpec, 'index' | 'role' | 'startEdit' | 'typeOnJoin'> }
  | { t: 'stop' };

export interface TJoined {
  index: number;
  role: 'editor' | 'viewer';
  ok: boolean;
  error?: string;
  access?: 'edit' | 'read';
  startAt: number;
  openAt?: number;
  syncedAt?: number;
  clientId?: number;
}

export interface TProbeResult {
  startAt: number;
  openAt: number;
  syncedAt: number;
  textLength: number;
  textSha1: string;
  error?: string;
}

export type TFromClient =
  | { t: 'ready' }
  | { t: 'joined'; id: number; joined: TJoined[] }
  /**
   * sends: flat [clientId, clockEnd, sentAt] per edit that inserted something;
   * arrivals: flat [viewerIndex, clientId, fromClock, toClock, arrivedAt] per client range in a
   * remote update a viewer applied.
   */
  | { t: 'report'; sends: Float64Array; arrivals: Float64Array; edits: number; problems: string[] }
  | { t: 'probed'; id: number; results: TProbeResult[] }
  | { t: 'stopped' };
