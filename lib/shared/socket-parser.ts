/**
 * socket.io's own parser, except for one kind of packet: an event whose arguments after its name
 * are strings and bytes, at least one of them bytes — the document channel's y-protocols messages
 * (docs/PROTOCOL.md D8) — travels as one binary WebSocket frame. socket.io's default parser sends
 * such an event as a text header plus one binary attachment per byte argument: two or more frames,
 * each a write on the server for every recipient of a broadcast and a parse in every client.
 * Everything else (JSON events, acknowledgements, connection packets) is the default parser's,
 * unchanged. Server and every client must use it (`parser: socketParser`); the protocol version
 * (H3) says so to older clients.
 *
 * A compact frame: 0xE7, the namespace (var string), the ack id + 1 (var uint; 0 for none), the
 * argument count (var uint), then per argument a tag (0 string, 1 bytes) and a var string or var
 * byte array. The event name is the first argument, a string.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Decoder as DefaultDecoder, Encoder as DefaultEncoder, PacketType, type Packet } from 'socket.io-parser';

const COMPACT_EVENT = 0xe7;
const TAG_STRING = 0;
const TAG_BYTES = 1;
/** Arguments at most, the event name included (D8 sends the name, a document id and at most two frames). */
const MAX_ARGUMENTS = 8;

type TCompactPacket = Packet & { data: (string | Uint8Array)[] };

function isCompactable(packet: Packet): packet is TCompactPacket {
  if (packet.type !== PacketType.EVENT && packet.type !== PacketType.BINARY_EVENT) return false;
  const data: unknown = packet.data;
  if (!Array.isArray(data) || data.length < 2 || data.length > MAX_ARGUMENTS || typeof data[0] !== 'string') return false;
  let hasBytes = false;
  for (let index = 1; index < data.length; index += 1) {
    const argument: unknown = data[index];
    if (argument instanceof Uint8Array) hasBytes = true;
    else if (typeof argument !== 'string') return false;
  }
  return hasBytes;
}

function encodeCompact(packet: TCompactPacket): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, COMPACT_EVENT);
  encoding.writeVarString(encoder, packet.nsp);
  encoding.writeVarUint(encoder, packet.id === undefined ? 0 : packet.id + 1);
  encoding.writeVarUint(encoder, packet.data.length);
  for (const argument of packet.data) {
    if (typeof argument === 'string') {
      encoding.writeUint8(encoder, TAG_STRING);
      encoding.writeVarString(encoder, argument);
    } else {
      encoding.writeUint8(encoder, TAG_BYTES);
      encoding.writeVarUint8Array(encoder, argument);
    }
  }
  return encoding.toUint8Array(encoder);
}

/** Throws on anything that is not exactly one compact event (socket.io then closes the connection). */
export function decodeCompact(frame: Uint8Array): Packet {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readUint8(decoder) !== COMPACT_EVENT) throw new Error('not a compact event');
    const nsp = decoding.readVarString(decoder);
    const id = decoding.readVarUint(decoder);
    const count = decoding.readVarUint(decoder);
    if (!nsp.startsWith('/') || count < 2 || count > MAX_ARGUMENTS) throw new Error('bad header');
    const data: (string | Uint8Array)[] = [];
    for (let index = 0; index < count; index += 1) {
      const tag = decoding.readUint8(decoder);
      if (tag === TAG_STRING) data.push(decoding.readVarString(decoder));
      // A view into the frame, not a copy: the frame is this packet's alone.
      else if (tag === TAG_BYTES && index > 0) data.push(decoding.readVarUint8Array(decoder));
      else throw new Error('bad argument');
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
    return { type: PacketType.EVENT, nsp, data, ...(id > 0 ? { id: id - 1 } : {}) };
  } catch (error) {
    throw new Error(`invalid compact packet: ${(error as Error).message}`);
  }
}

function bytesOf(chunk: unknown): Uint8Array | null {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

export class Encoder extends DefaultEncoder {
  override encode(packet: Packet): (string | Uint8Array)[] {
    return isCompactable(packet) ? [encodeCompact(packet)] : super.encode(packet);
  }
}

export class Decoder extends DefaultDecoder {
  /** After a default binary header, its attachments arrive as binary frames: those are the default parser's. */
  private awaitingAttachments = false;

  constructor() {
    super();
    this.on('decoded', () => {
      this.awaitingAttachments = false;
    });
  }

  override add(chunk: unknown): void {
    if (typeof chunk === 'string') {
      const type = chunk.charCodeAt(0) - 48;
      if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) this.awaitingAttachments = true;
      return super.add(chunk);
    }
    if (this.awaitingAttachments) return super.add(chunk);
    const bytes = bytesOf(chunk);
    if (!bytes) throw new Error('invalid packet');
    this.emitReserved('decoded', decodeCompact(bytes));
  }
}

/** Pass as `parser` to the socket.io server and to every `io()` client. */
export const socketParser = { Encoder, Decoder };
