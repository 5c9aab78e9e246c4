import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PacketType } from 'socket.io-parser';
import { Encoder } from '../../lib/shared/socket-parser';
import { FramingAdapter } from './framing-adapter';

/** The adapter's encode step, as socket.io calls it once per broadcast. */
function encodeForBroadcast(packet: object): { encoded: unknown[]; frame: unknown } {
  const adapter = new FramingAdapter({ name: '/', server: { encoder: new Encoder() } } as never);
  const options: { wsPreEncodedFrame?: unknown } = {};
  const encoded = (adapter as unknown as { _encode(packet: object, options: object): unknown[] })._encode(packet, options);
  return { encoded, frame: options.wsPreEncodedFrame };
}

test('[D8] a document broadcast (one binary packet) is framed once for every recipient', () => {
  assert.ok(FramingAdapter.canPreFrame, 'socket.io-adapter still encodes in _encode and ws still exports Sender.frame');
  const update = new Uint8Array([7, 7, 7]);
  const { encoded, frame } = encodeForBroadcast({ type: PacketType.EVENT, nsp: '/', data: ['doc:message', 'd', update] });
  assert.equal(encoded.length, 1);
  const bytes = encoded[0] as Uint8Array;
  assert.ok(Array.isArray(frame) && frame.length === 1, 'one pre-built buffer for the WebSocket transport');
  const [whole] = frame as Buffer[];
  // FIN + binary opcode, unmasked, the payload length, then the very bytes of the packet.
  assert.equal(whole?.[0], 0x82);
  assert.equal(whole?.[1], bytes.byteLength);
  assert.deepEqual(new Uint8Array(whole?.subarray(2) ?? []), bytes);
});

test('[D8] a JSON broadcast keeps socket.io\'s own text framing', () => {
  const { encoded, frame } = encodeForBroadcast({ type: PacketType.EVENT, nsp: '/', data: ['doc:status', { pid: 'p' }] });
  assert.equal(typeof encoded[0], 'string');
  const [whole] = frame as Buffer[];
  assert.equal(whole?.[0], 0x81);
  assert.equal(whole?.subarray(2).toString(), `4${encoded[0] as string}`);
});
