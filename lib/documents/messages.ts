/**
 * y-protocols messages as y-websocket frames them (docs/PROTOCOL.md D2): a varUint message type,
 * then for sync a varUint sync step and a byte array. Shared by the server, the browser provider
 * and the benchmark clients.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/**
 * D25: why the server dropped an awareness message (a client id that is someone else's, or too many
 * ids for one connection). Only presence was refused: the text is untouched.
 */
export const AWARENESS_REFUSALS = ['awareness_spoof', 'too_many_clients'] as const;
export type TAwarenessRefusal = (typeof AWARENESS_REFUSALS)[number];

export type TDocumentMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2' | 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array };

/** Decodes one frame; throws on anything malformed (callers catch). */
export function decodeDocumentMessage(bytes: Uint8Array): TDocumentMessage {
  const decoder = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(decoder);
  let message: TDocumentMessage;
  if (type === MESSAGE_AWARENESS) {
    message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
  } else if (type === MESSAGE_SYNC) {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === SYNC_STEP_1) message = { kind: 'sync-step-1', stateVector: payload };
    else if (step === SYNC_STEP_2) message = { kind: 'sync-step-2', update: payload };
    else if (step === SYNC_UPDATE) message = { kind: 'update', update: payload };
    else throw new Error(`unknown sync step ${step}`);
  } else {
    throw new Error(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
  return message;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A sync step 1 frame (the sender's state vector). */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP_1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

/** A sync step 2 frame (the state the receiver lacks). */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP_2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** An update frame. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });
}

/** An awareness frame. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });
}

export interface TAwarenessEntry {
  clientId: number;
  clock: number;
  /** The parsed state, or null when the client removes itself. */
  state: Record<string, unknown> | null;
}

/** Reads an awareness update's entries; throws when malformed. */
export function decodeAwarenessEntries(update: Uint8Array): TAwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > 64) throw new Error('too many awareness entries');
  const entries: TAwarenessEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    const parsed: unknown = JSON.parse(json);
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('awareness state must be an object');
    entries.push({ clientId, clock, state: parsed as Record<string, unknown> | null });
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
  return entries;
}

/** Encodes awareness entries (after the server rewrote their identity fields). */
export function encodeAwarenessEntries(entries: readonly TAwarenessEntry[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, JSON.stringify(entry.state));
    }
  });
}
