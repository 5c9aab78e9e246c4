import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { sameMeshRoom, sdpSendsMedia, ZMeshJoin, ZMeshSignal } from './mesh';

const section = (kind: string, direction: string | null, port = 9) => [`m=${kind} ${port} UDP/TLS/RTP/SAVPF 111`, 'c=IN IP4 0.0.0.0', ...(direction ? [`a=${direction}`] : [])].join('\r\n');
const sdp = (...sections: string[]) => ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', ...sections, ''].join('\r\n');

test('[V29] an SDP sends media when any live media section is sendrecv, sendonly or has no direction', () => {
  assert.equal(sdpSendsMedia(sdp(section('audio', 'recvonly'), section('video', 'inactive'))), false);
  assert.equal(sdpSendsMedia(sdp(section('audio', 'recvonly'), section('video', 'sendrecv'))), true);
  assert.equal(sdpSendsMedia(sdp(section('audio', 'sendonly'))), true);
  assert.equal(sdpSendsMedia(sdp(section('audio', null))), true);
  // A rejected section (port 0) and a data channel carry no media.
  assert.equal(sdpSendsMedia(sdp(section('audio', 'sendrecv', 0), section('video', 'recvonly'))), false);
  assert.equal(sdpSendsMedia(sdp('m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0')), false);
  assert.equal(sdpSendsMedia(sdp(section('audio', 'recvonly')).replaceAll('\r\n', '\n')), false);
});

test('[V37] a message names the plenary’s mesh or one side room’s, and belongs to that one only', () => {
  const [sessionId, sideRoomId] = [randomUUID(), randomUUID()];
  assert.equal(sameMeshRoom({ sessionId }, { sessionId }), true);
  assert.equal(sameMeshRoom({ sessionId, sideRoomId }, { sessionId, sideRoomId }), true);
  assert.equal(sameMeshRoom({ sessionId, sideRoomId }, { sessionId }), false);
  assert.equal(sameMeshRoom({ sessionId }, { sessionId, sideRoomId }), false);
  assert.equal(sameMeshRoom({ sessionId, sideRoomId }, { sessionId, sideRoomId: randomUUID() }), false);
  assert.equal(ZMeshJoin.safeParse({ sessionId, sideRoomId, publish: true }).success, true);
  assert.equal(ZMeshJoin.safeParse({ sessionId, sideRoomId: 'bilateral', publish: true }).success, false);
  assert.equal(ZMeshSignal.safeParse({ sessionId, sideRoomId: null, to: randomUUID(), kind: 'offer', sdp: 'v=0' }).success, false);
});
