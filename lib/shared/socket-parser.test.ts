import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PacketType, type Packet } from 'socket.io-parser';
import { decodeCompact, Decoder, Encoder } from './socket-parser';

/** Runs frames through a decoder and returns what it emitted. */
function decodeAll(frames: readonly (string | Uint8Array | ArrayBuffer)[]): Packet[] {
  const decoder = new Decoder();
  const packets: Packet[] = [];
  decoder.on('decoded', (packet: Packet) => packets.push(packet));
  for (const frame of frames) decoder.add(frame);
  return packets;
}

test('[D8] an event of strings and bytes is one binary frame, read back exactly, with or without an ack id', () => {
  const update = Uint8Array.from({ length: 700 }, (_, index) => (index * 37 + 11) & 255);
  const carets = new Uint8Array([1, 2, 3]);
  for (const id of [undefined, 0, 41, 70000]) {
    const packet: Packet = { type: PacketType.BINARY_EVENT, nsp: '/', data: ['doc:message', 'a-document-id', update, carets], ...(id === undefined ? {} : { id }) };
    const frames = new Encoder().encode(packet);
    assert.equal(frames.length, 1);
    assert.ok(frames[0] instanceof Uint8Array);
    const [decoded] = decodeAll(frames);
    assert.deepEqual(decoded, { type: PacketType.EVENT, nsp: '/', data: ['doc:message', 'a-document-id', update, carets], ...(id === undefined ? {} : { id }) });
  }
});

test('[D8] a browser hands the frame over as an ArrayBuffer: read the same', () => {
  const [frame] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['doc:message', 'd', new Uint8Array([9, 8])] });
  const copy = (frame as Uint8Array).slice().buffer;
  assert.deepEqual(decodeAll([copy])[0]?.data, ['doc:message', 'd', new Uint8Array([9, 8])]);
});

test('[D8] everything else is the default parser: JSON events and acks as text, nested bytes as attachments', () => {
  const encoder = new Encoder();
  const json: Packet = { type: PacketType.EVENT, nsp: '/', data: ['doc:join', { documentId: 'x' }], id: 3 };
  const jsonFrames = encoder.encode(json);
  assert.equal(typeof jsonFrames[0], 'string');
  assert.deepEqual(decodeAll(jsonFrames), [json]);

  const ack: Packet = { type: PacketType.ACK, nsp: '/', data: [{ ok: true }], id: 3 };
  assert.deepEqual(decodeAll(encoder.encode(ack)), [ack]);

  // Bytes inside an object are not ours to compact: a text header, then the attachment.
  const nested: Packet = { type: PacketType.EVENT, nsp: '/', data: ['upload', { bytes: Buffer.from([1, 2]) }] };
  const nestedFrames = encoder.encode(nested);
  assert.equal(nestedFrames.length, 2);
  const [decoded] = decodeAll(nestedFrames);
  assert.equal(decoded?.data[0], 'upload');
  assert.deepEqual([...(decoded?.data[1].bytes as Uint8Array)], [1, 2]);
});

test('[D8] a malformed binary frame throws (socket.io then closes that connection)', () => {
  const [valid] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['doc:message', 'd', new Uint8Array([1, 2, 3])] }) as Uint8Array[];
  const bad: Uint8Array[] = [
    new Uint8Array([]),
    new Uint8Array([0x00, 1, 47]),
    valid!.subarray(0, valid!.length - 1),
    new Uint8Array([...valid!, 0]),
    // Bytes in the event name's place.
    Uint8Array.from([0xe7, 1, 47, 0, 2, 1, 1, 65, 0, 1, 66]),
    // One argument only, or more than eight.
    Uint8Array.from([0xe7, 1, 47, 0, 1, 0, 1, 65]),
    Uint8Array.from([0xe7, 1, 47, 0, 9, ...Array.from({ length: 9 }, () => [0, 1, 65]).flat()]),
    // A namespace that is not one.
    Uint8Array.from([0xe7, 1, 65, 0, 2, 0, 1, 65, 1, 1, 66]),
    // An unknown tag.
    Uint8Array.from([0xe7, 1, 47, 0, 2, 0, 1, 65, 7, 1, 66]),
  ];
  for (const frame of bad) assert.throws(() => decodeAll([frame]), /invalid compact packet/, String([...frame]));
  assert.throws(() => new Decoder().add(42), /invalid packet/);
  assert.doesNotThrow(() => decodeCompact(valid!));
});
