/**
 * One client process: hosts a share of the simulated clients (editors and viewers) for one target.
 * Started by run.ts with `fork` (IPC channel, advanced serialization); the config is argv[2] (JSON).
 *
 * Kept cheap, because it shares the two cores with the server: a viewer records, for each remote
 * update, only the clock ranges it carries (Y.parseUpdateMeta), and an editor records the clock its
 * edit ended at and when it was made. The orchestrator matches the two.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import * as Y from 'yjs';
import { hocuspocusAdapter } from './adapters/hocuspocus';
import { proxeniaAdapter } from './adapters/proxenia';
import { now, type TClientAdapter } from './adapters/types';
import { claimRegion, documentText, type TTextRegion } from './doc-model';
import type { TClientProcessConfig, TClientSpec, TFromClient, TJoined, TProbeResult, TToClient } from './ipc';
import { applyPatches, type TEdit } from './trace';

const config = JSON.parse(process.argv[2] ?? '{}') as TClientProcessConfig;
const edits = JSON.parse(fs.readFileSync(config.editsFile, 'utf8')) as TEdit[];

function send(message: TFromClient): void {
  process.send?.(message);
}

function makeAdapter(spec: Pick<TClientSpec, 'role' | 'cookie' | 'localAddress' | 'name'>, light: boolean): TClientAdapter {
  if (config.target === 'hocuspocus') return hocuspocusAdapter({ url: config.url, documentName: config.document, role: spec.role, light });
  return proxeniaAdapter({
    url: config.url,
    documentId: config.document,
    cookie: spec.cookie ?? '',
    localAddress: spec.localAddress,
    name: spec.name,
    light,
  });
}

interface TEditor {
  adapter: TClientAdapter;
  region: TTextRegion;
  next: number;
  timer?: NodeJS.Timeout;
}

const adapters: TClientAdapter[] = [];
const editors: TEditor[] = [];
let sends: number[] = [];
let arrivals: number[] = [];
let problems: string[] = [];
let editCount = 0;
let typing = false;

function typeOnce(editor: TEditor): void {
  const edit = edits[editor.next % edits.length];
  editor.next += 1;
  if (!edit) return;
  const doc = editor.adapter.doc;
  const before = Y.getState(doc.store, doc.clientID);
  const sentAt = now();
  const caret = editor.region.apply(edit);
  editCount += 1;
  const after = Y.getState(doc.store, doc.clientID);
  // Deletions do not advance the clock and are not timed (they still load the server).
  if (after > before) sends.push(doc.clientID, after, sentAt);
  if (config.cursors) {
    const position = Y.relativePositionToJSON(caret);
    editor.adapter.awareness.setLocalStateField('cursor', { anchor: position, head: position });
  }
}

function startTyping(editor: TEditor): void {
  if (editor.timer) return;
  // A random phase, so editors do not all send in the same millisecond.
  editor.timer = setTimeout(() => {
    typeOnce(editor);
    editor.timer = setInterval(() => typeOnce(editor), config.intervalMs);
  }, Math.random() * config.intervalMs);
}

function stopTyping(editor: TEditor): void {
  clearTimeout(editor.timer);
  clearInterval(editor.timer);
  editor.timer = undefined;
}

async function addClient(spec: TClientSpec): Promise<TJoined> {
  const startAt = now();
  const adapter = makeAdapter(spec, config.clients === 'light');
  adapters.push(adapter);
  adapter.onProblem((message) => problems.push(`${spec.role} ${spec.index}: ${message}`));
  try {
    const result = await adapter.connect(config.joinTimeoutMs);
    if (spec.role === 'viewer') {
      // Remote updates are only reported once synced: the initial state is not a keystroke.
      adapter.onRemoteUpdate((update) => {
        const at = now();
        const meta = Y.parseUpdateMeta(update);
        for (const [client, to] of meta.to) arrivals.push(spec.index, client, meta.from.get(client) ?? 0, to, at);
      });
    } else {
      const prefill = applyPatches('', edits.slice(0, spec.startEdit).flat());
      const editor: TEditor = { adapter, region: claimRegion(adapter.doc, config.shape, config.field, prefill), next: spec.startEdit };
      editors.push(editor);
      if (spec.typeOnJoin || typing) startTyping(editor);
    }
    return { index: spec.index, role: spec.role, ok: true, access: result.access, startAt, openAt: result.openAt, syncedAt: result.syncedAt, clientId: adapter.doc.clientID };
  } catch (error) {
    return { index: spec.index, role: spec.role, ok: false, error: (error as Error).message, startAt };
  }
}

async function probe(count: number, spec: Omit<TClientSpec, 'index' | 'role' | 'startEdit' | 'typeOnJoin'>): Promise<TProbeResult[]> {
  const results: TProbeResult[] = [];
  for (let i = 0; i < count; i++) {
    const startAt = now();
    // Probes apply everything: their copy is checked against the trace.
    const adapter = makeAdapter({ ...spec, role: 'viewer' }, false);
    try {
      const joined = await adapter.connect(config.joinTimeoutMs);
      const text = documentText(adapter.doc, config.shape, config.field);
      results.push({ startAt, openAt: joined.openAt, syncedAt: joined.syncedAt, textLength: text.length, textSha1: createHash('sha1').update(text).digest('hex') });
    } catch (error) {
      results.push({ startAt, openAt: 0, syncedAt: 0, textLength: 0, textSha1: '', error: (error as Error).message });
    }
    // The first client stays, so the later joins find the document loaded (warm).
    if (i === 0) adapters.push(adapter);
    else adapter.close();
  }
  return results;
}

const reporter = setInterval(() => {
  send({ t: 'report', sends: Float64Array.from(sends), arrivals: Float64Array.from(arrivals), edits: editCount, problems });
  sends = [];
  arrivals = [];
  problems = [];
  editCount = 0;
}, 1000);

process.on('message', (message: TToClient) => {
  switch (message.t) {
    case 'add':
      void Promise.all(message.clients.map(addClient)).then((joined) => send({ t: 'joined', id: message.id, joined }));
      break;
    case 'typing':
      typing = message.on;
      for (const editor of editors) (message.on ? startTyping : stopTyping)(editor);
      break;
    case 'probe':
      void probe(message.count, message.spec).then((results) => send({ t: 'probed', id: message.id, results }));
      break;
    case 'stop':
      for (const editor of editors) stopTyping(editor);
      clearInterval(reporter);
      send({ t: 'report', sends: Float64Array.from(sends), arrivals: Float64Array.from(arrivals), edits: editCount, problems });
      for (const adapter of adapters) adapter.close();
      send({ t: 'stopped' });
      setTimeout(() => process.exit(0), 200).unref();
      break;
  }
});

// A socket closed while still connecting (a client that never got in, at stop) emits an error no
// listener is left to catch. Record it with the other problems instead of losing the whole process.
process.on('uncaughtException', (error) => {
  problems.push(`uncaught: ${error.message}`);
});

// The orchestrator going away ends this process too: nothing is left running.
process.on('disconnect', () => process.exit(0));
send({ t: 'ready' });
