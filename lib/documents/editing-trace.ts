/**
 * Real editing traces (josephg/editing-traces, CC BY 4.0; format in vendor/editing-traces/README.md)
 * replayed into a Proxenia document: each transaction becomes the Yjs update its author's replica
 * produced, exactly as a browser's editor would have sent it. Concurrent traces keep one replica
 * per agent and bring it to the merged state of the transaction's `parents` before applying its
 * patches, so the updates carry the real concurrency. The text lives in one paragraph (newlines
 * are characters of the trace, not paragraph breaks): a text CRDT's own semantics, which is what
 * the traces' `endContent` was computed with.
 */
import { randomInt, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { z } from 'zod';
import { documentPlainText } from './base-text';
import { DOCUMENT_FIELD } from './schema';

/** [position, deleted, inserted]: positions and counts in Unicode code points. */
const ZPatch = z.tuple([z.number().int().min(0), z.number().int().min(0), z.string()]);
const ZTime = z.union([z.string(), z.number()]).optional();

const ZSequentialTrace = z.object({
  kind: z.literal('sequential').optional(),
  startContent: z.string().default(''),
  endContent: z.string(),
  txns: z.array(z.object({ time: ZTime, timestamp: ZTime, patches: z.array(ZPatch) })).min(1),
});

const ZConcurrentTrace = z.object({
  kind: z.literal('concurrent'),
  endContent: z.string(),
  numAgents: z.number().int().min(1).max(64),
  txns: z.array(z.object({ parents: z.array(z.number().int().min(0)), agent: z.number().int().min(0), time: ZTime, timestamp: ZTime, patches: z.array(ZPatch) })).min(1),
});

export const ZEditingTrace = z.union([ZConcurrentTrace, ZSequentialTrace]);
export type TEditingTrace = z.infer<typeof ZEditingTrace>;

/**
 * Parses a trace against the schema its `kind` names, so that a refusal names the field at fault
 * (the union alone reports only "Invalid input" at the root).
 */
export function parseEditingTrace(json: unknown) {
  const concurrent = typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'concurrent';
  return (concurrent ? ZConcurrentTrace : ZSequentialTrace).safeParse(json);
}

export class TraceError extends Error {}

export interface TTraceUpdate {
  /** The agent (0-based) whose replica produced the update. */
  agent: number;
  at: number;
  bytes: Uint8Array;
}

export interface TTraceReplay {
  agents: number;
  /** The document's first update (one paragraph holding the start content), written by the server. */
  base: { bytes: Uint8Array; clientId: number; at: number };
  /** The Yjs client id each agent wrote under. */
  agentClientIds: number[];
  /** One update per transaction, in the trace's order (parents always come first). */
  updates: TTraceUpdate[];
  /** The whole document at every `checkpointEvery`-th document seq. */
  checkpoints: { documentSeq: number; bytes: Uint8Array }[];
  /** The text of the server's document after every update: equals the trace's `endContent`. */
  endText: string;
}

const SECOND = 1000;

/** The transactions' times: the trace's own when every one has a distinct-enough time, else one second apart from `startAt`. */
function transactionTimes(txns: readonly { time?: string | number; timestamp?: string | number }[], startAt: number): number[] {
  const parsed = txns.map((txn) => {
    const value = txn.time ?? txn.timestamp;
    return value === undefined ? NaN : typeof value === 'number' ? value : Date.parse(value);
  });
  const usable = parsed.every(Number.isFinite) && parsed.some((time) => time !== parsed[0]);
  if (!usable) return txns.map((_, index) => startAt + (index + 1) * SECOND);
  // The log's time never goes backwards, so a moment (`?t=`) finds one seq.
  let latest = -Infinity;
  return parsed.map((time) => (latest = Math.max(latest, time)));
}

const SURROGATE = /[\ud800-\udfff]/;

/** Converts a code point offset into the text's UTF-16 index (only needed once the text holds astral characters). */
function utf16Index(text: string, codePoints: number): number {
  let index = 0;
  let seen = 0;
  for (; seen < codePoints && index < text.length; seen += 1) index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  // Past the last code point: an index beyond the text, so that the caller refuses the patch rather than clamping it.
  return seen < codePoints ? text.length + 1 : index;
}

/** Applies one patch like Array.prototype.splice over the text's code points. */
function applyPatch(text: Y.XmlText, [position, deleted, inserted]: [number, number, string], astral: boolean): void {
  let at = position;
  let count = deleted;
  if (astral) {
    const current = text.toString();
    at = utf16Index(current, position);
    count = utf16Index(current.slice(at), deleted);
  }
  if (at > text.length || at + count > text.length) throw new TraceError(`a patch reaches past the end of the text (${position}, ${deleted})`);
  if (count > 0) text.delete(at, count);
  if (inserted) text.insert(at, inserted);
}

function paragraphText(doc: Y.Doc): Y.XmlText {
  const paragraph = doc.getXmlFragment(DOCUMENT_FIELD).get(0);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
  if (!(text instanceof Y.XmlText)) throw new TraceError('the document lost its paragraph');
  return text;
}

/** Replays a parsed trace; throws `TraceError` when a patch does not fit or the result is not `endContent`. */
export function replayEditingTrace(trace: TEditingTrace, { startAt, checkpointEvery }: { startAt: number; checkpointEvery: number }): TTraceReplay {
  const times = transactionTimes(trace.txns, startAt);
  const baseAt = Math.min(startAt, (times[0] ?? startAt) - SECOND);
  const startContent = trace.kind === 'concurrent' ? '' : trace.startContent;
  const astral = SURROGATE.test(startContent) || trace.txns.some((txn) => txn.patches.some((patch) => SURROGATE.test(patch[2])));

  const baseDoc = new Y.Doc();
  baseDoc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('pid', randomUUID());
    const text = new Y.XmlText();
    text.insert(0, startContent);
    paragraph.insert(0, [text]);
    baseDoc.getXmlFragment(DOCUMENT_FIELD).insert(0, [paragraph]);
  });
  const base = { bytes: Y.encodeStateAsUpdate(baseDoc), clientId: baseDoc.clientID, at: baseAt };
  baseDoc.destroy();

  const agents = trace.kind === 'concurrent' ? trace.numAgents : 1;
  // Yjs places concurrent insertions at one spot in the order of their client ids, lowest first; the
  // traces' endContent puts the lower agent's text first, so the agents' ids ascend with their index
  // (random ids made friendsforever converge about one run in ten).
  let firstClientId = randomInt(1, 2 ** 31);
  if (base.clientId >= firstClientId && base.clientId < firstClientId + agents) firstClientId = base.clientId + 1;
  const replicas = Array.from({ length: agents }, (_, agent) => {
    // Replicas keep deleted text (no garbage collection): a replica that collected it could not place
    // another agent's concurrent edit next to it as that agent saw it (friendsforever diverges).
    const doc = new Y.Doc({ gc: false });
    doc.clientID = firstClientId + agent;
    Y.applyUpdate(doc, base.bytes);
    return { doc, applied: new Set<number>() };
  });
  // A sequential trace is one agent whose every transaction follows the one before.
  const txns = trace.kind === 'concurrent' ? trace.txns : trace.txns.map((txn, index) => ({ ...txn, agent: 0, parents: index === 0 ? [] : [index - 1] }));
  const updates: TTraceUpdate[] = [];
  for (const [index, txn] of txns.entries()) {
    const { agent } = txn;
    const replica = replicas[agent];
    if (!replica) throw new TraceError(`transaction ${index} names agent ${agent}, beyond numAgents`);
    // Bring the replica to the merged state of the parents: apply what it lacks of their history, oldest first.
    const missing = new Set<number>();
    const stack = [...txn.parents];
    while (stack.length) {
      const parent = stack.pop()!;
      if (parent >= index) throw new TraceError(`transaction ${index} has a parent that is not earlier (${parent})`);
      if (replica.applied.has(parent) || missing.has(parent)) continue;
      missing.add(parent);
      stack.push(...txns[parent]!.parents);
    }
    for (const parent of [...missing].sort((a, b) => a - b)) {
      Y.applyUpdate(replica.doc, updates[parent]!.bytes);
      replica.applied.add(parent);
    }
    let produced: Uint8Array | null = null;
    const capture = (update: Uint8Array) => (produced = update);
    replica.doc.on('update', capture);
    const text = paragraphText(replica.doc);
    replica.doc.transact(() => {
      for (const patch of txn.patches) applyPatch(text, patch, astral);
    });
    replica.doc.off('update', capture);
    replica.applied.add(index);
    // A transaction that changed nothing is still a transaction of the record: an empty update.
    updates.push({ agent, at: times[index]!, bytes: produced ?? new Uint8Array([0, 0]) });
  }

  // The server's document: the base (document seq 1), then each update (seq index + 2), encoded whole
  // every `checkpointEvery` seqs so a replay never applies more than that many updates.
  const server = new Y.Doc();
  const checkpoints: TTraceReplay['checkpoints'] = [];
  const all = [base.bytes, ...updates.map((update) => update.bytes)];
  for (let from = 0; from < all.length; from += checkpointEvery) {
    const upTo = Math.min(from + checkpointEvery, all.length);
    server.transact(() => {
      for (let index = from; index < upTo; index += 1) Y.applyUpdate(server, all[index]!);
    });
    if (upTo % checkpointEvery === 0) checkpoints.push({ documentSeq: upTo, bytes: Y.encodeStateAsUpdate(server) });
  }
  const endText = documentPlainText(server);
  server.destroy();
  const agentClientIds = replicas.map((replica) => replica.doc.clientID);
  for (const replica of replicas) replica.doc.destroy();
  if (endText !== trace.endContent) throw new TraceError('replaying the trace does not give its endContent');
  return { agents, base, agentClientIds, updates, checkpoints, endText };
}
