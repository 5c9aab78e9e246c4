import { Adapter } from 'socket.io-adapter';
import WebSocket from 'ws';

/** socket.io-adapter's own step (not in its types): encodes a broadcast once, before the fan-out. */
type TEncodeStep = (this: Adapter, packet: unknown, packetOptions: { wsPreEncodedFrame?: Buffer[] }) => unknown[];

interface TFrameBuilder {
  frame(data: Buffer, options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }): Buffer[];
}

const encodeOnce = (Adapter.prototype as unknown as { _encode: TEncodeStep })._encode;
/** `ws` builds frames with Sender.frame, exported at run time but not in its types. */
const sender = (WebSocket as unknown as { Sender: TFrameBuilder }).Sender;
const BINARY_OPCODE = 2;

/**
 * socket.io's in-memory adapter builds the WebSocket frame of a broadcast once for all recipients
 * when the packet is one text frame, as a header and a payload that every socket then writes with
 * writev. This one also does it for one binary frame (our parser's document messages, PROTOCOL.md
 * D8), and joins header and payload into one buffer: a broadcast to a document room is the
 * server's main cost, a write per recipient, and one buffer is a plain write instead of a
 * corked pair.
 */
export class FramingAdapter extends Adapter {
  static readonly canPreFrame = typeof encodeOnce === 'function' && typeof sender?.frame === 'function';
}

if (FramingAdapter.canPreFrame) {
  (FramingAdapter.prototype as unknown as { _encode: TEncodeStep })._encode = function (packet, packetOptions) {
    const encoded = encodeOnce.call(this, packet, packetOptions);
    const [only] = encoded;
    if (packetOptions.wsPreEncodedFrame === undefined && encoded.length === 1 && only instanceof Uint8Array) {
      // Engine.IO sends a binary message as the bare bytes in one binary frame.
      packetOptions.wsPreEncodedFrame = sender.frame(Buffer.from(only.buffer, only.byteOffset, only.byteLength), {
        readOnly: false,
        mask: false,
        rsv1: false,
        opcode: BINARY_OPCODE,
        fin: true,
      });
    }
    if (packetOptions.wsPreEncodedFrame?.length === 2) packetOptions.wsPreEncodedFrame = [Buffer.concat(packetOptions.wsPreEncodedFrame)];
    return encoded;
  };
}
