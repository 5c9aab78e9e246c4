/**
 * Loads Joseph Gentle's editing traces (CC BY 4.0, vendored in vendor/editing-traces) and turns a
 * sequential trace into a stream of small edits: consecutive patches grouped until about four
 * characters were typed or deleted, which is what one editor sends per 400 ms in Etherpad's author
 * model.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const TRACES_DIR = process.env.EDITING_TRACES_DIR ?? path.resolve(import.meta.dirname, '..', '..', 'vendor', 'editing-traces');

/** One patch: at `pos`, delete `del` characters, then insert `text` (positions in code points). */
export type TPatch = [pos: number, del: number, text: string];

export interface TSequentialTrace {
  startContent: string;
  endContent: string;
  txns: { time?: string; timestamp?: string; patches: TPatch[] }[];
}

/** One edit of the stream: patches applied in order, in one transaction. */
export type TEdit = TPatch[];

/** Reads and parses a gzipped sequential trace by file name (e.g. `automerge-paper.json.gz`). */
export function loadTrace(name: string): TSequentialTrace {
  const file = path.isAbsolute(name) ? name : path.join(TRACES_DIR, name);
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as TSequentialTrace & { kind?: string };
  if (trace.kind === 'concurrent') throw new Error(`${name} is a concurrent trace; the benchmark replays sequential ones`);
  // Positions are in code points and Yjs counts UTF-16 units: they agree only without astral characters.
  const astral = /[\uD800-\uDFFF]/;
  if (astral.test(trace.startContent) || trace.txns.some((txn) => txn.patches.some((patch) => astral.test(patch[2])))) {
    throw new Error(`${name} contains characters outside the BMP; positions would need converting`);
  }
  return trace;
}

/** Every patch of the trace in order (inside a transaction they are already in the order to apply). */
export function tracePatches(trace: TSequentialTrace): TPatch[] {
  const patches: TPatch[] = [];
  for (const txn of trace.txns) for (const patch of txn.patches) patches.push(patch);
  return patches;
}

/**
 * Groups consecutive patches into edits of about `chars` characters (inserted plus deleted). Patches
 * are kept as they are, so replaying the edits in order replays the trace exactly.
 */
export function toEditStream(patches: readonly TPatch[], chars = 4): TEdit[] {
  const edits: TEdit[] = [];
  let current: TEdit = [];
  let size = 0;
  for (const patch of patches) {
    current.push(patch);
    size += patch[1] + patch[2].length;
    if (size >= chars) {
      edits.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length) edits.push(current);
  return edits;
}

/**
 * Applies patches to a string. Valid because {@link loadTrace} only accepts traces whose text has no
 * characters outside the Basic Multilingual Plane, where code points and UTF-16 indices (what Yjs
 * counts) coincide.
 */
export function applyPatches(text: string, patches: Iterable<TPatch>): string {
  let result = text;
  for (const [pos, del, ins] of patches) result = result.slice(0, pos) + ins + result.slice(pos + del);
  return result;
}
