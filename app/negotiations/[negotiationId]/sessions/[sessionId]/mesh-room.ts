/**
 * One browser's part of a peer-to-peer mesh (docs/PROTOCOL.md V27–V39) — the session's plenary's or
 * the side room's the person is in: a WebRTC connection to every peer the server says is in that
 * media room, negotiated through the server's
 * signalling on the page's socket. Publishers open the connections (to listeners, and to publishers
 * whose peer id sorts after theirs); listeners only answer, receiving. Every connection carries one
 * audio and one video section from the start, so opening or closing a microphone as the floor moves
 * needs no new negotiation: the track is enabled or disabled where it is.
 */
import type { Socket } from 'socket.io-client';
import { sameMeshRoom, type TIceServer, type TMeshAck, type TMeshClosedReason, type TMeshError, type TMeshJoinAck, type TMeshPeer, type TMeshRelayed, type TMeshRoomRef, type TMediaChannel } from '@/lib/shared/mesh';

export interface TMeshRemote {
  peer: TMeshPeer;
  /** What this peer sends us, as one stream (a new object whenever a track arrives, for re-rendering). */
  stream: MediaStream | null;
  connection: RTCPeerConnectionState;
}

export type TMeshStatus = 'joining' | 'joined' | 'refused' | 'closed';

export interface TMeshSnapshot {
  status: TMeshStatus;
  error: TMeshError | TMeshClosedReason | 'no_devices' | null;
  self: TMeshPeer | null;
  local: MediaStream | null;
  remotes: TMeshRemote[];
  /** The person's own choice; the floor may still keep the microphone closed. */
  muted: boolean;
  cameraOn: boolean;
}

export interface TMeshOptions {
  /** V37: the plenary's media room, or a side room's when it names one. */
  room: TMeshRoomRef;
  /** An interpreter's channel (V33); `floor` for everyone else. */
  language: TMediaChannel;
  publish: boolean;
  camera: boolean;
  microphone: boolean;
  joinMuted: boolean;
}

interface TPeerLink {
  peer: TMeshPeer;
  connection: RTCPeerConnection;
  stream: MediaStream | null;
  /** Candidates that arrived before the description they belong to. */
  pending: RTCIceCandidateInit[];
}

export class MeshRoom {
  private readonly links = new Map<string, TPeerLink>();
  private local: MediaStream | null = null;
  private self: TMeshPeer | null = null;
  private iceServers: TIceServer[] = [];
  private status: TMeshStatus = 'joining';
  private error: TMeshSnapshot['error'] = null;
  private muted: boolean;
  private cameraOn = true;
  /** Whether the grants let the microphone be open now (V4, V5: the floor, the room's mode). */
  private microphoneAllowed = false;
  private snapshot: TMeshSnapshot;
  private readonly handlers: [string, (...args: never[]) => void][];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly socket: Socket,
    private readonly options: TMeshOptions,
  ) {
    this.muted = options.joinMuted;
    this.snapshot = this.build();
    this.handlers = [
      ['mesh:peer-joined', (message: TMeshRoomRef & { peer: TMeshPeer }) => this.mine(message) && this.peerJoined(message.peer)],
      ['mesh:peer-left', (message: TMeshRoomRef & { peerId: string }) => this.mine(message) && this.drop(message.peerId)],
      ['mesh:signal', (message: TMeshRelayed) => this.mine(message) && void this.received(message)],
      ['mesh:moderation', (message: TMeshRoomRef) => this.mine(message) && this.setMuted(true)],
      ['mesh:closed', (message: TMeshRoomRef & { reason: TMeshClosedReason }) => this.mine(message) && this.close(message.reason)],
      // A new socket connection is a new member for the server: the old places are gone (V35).
      ['connect', () => this.status === 'joined' && this.rejoin()],
    ];
  }

  /** The room as it is now: a new object after each change (for useSyncExternalStore). */
  readonly current = (): TMeshSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private mine(message: TMeshRoomRef): boolean {
    return sameMeshRoom(message, this.options.room) && this.status !== 'closed';
  }

  private build(): TMeshSnapshot {
    return {
      status: this.status,
      error: this.error,
      self: this.self,
      local: this.local,
      remotes: [...this.links.values()].map((link) => ({ peer: link.peer, stream: link.stream, connection: link.connection.connectionState })),
      muted: this.muted,
      cameraOn: this.cameraOn,
    };
  }

  private emitChange(): void {
    this.snapshot = this.build();
    for (const listener of this.listeners) listener();
  }

  async start(): Promise<void> {
    for (const [event, handler] of this.handlers) this.socket.on(event, handler as never);
    if (this.options.publish && (this.options.camera || this.options.microphone)) {
      try {
        // The microphone is taken even while the floor keeps it closed, so gaining the floor opens it at once.
        // Every publisher sends to every peer: a modest picture keeps six of them within a laptop's upload.
        this.local = await navigator.mediaDevices.getUserMedia({
          audio: this.options.microphone,
          video: this.options.camera && { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15 } },
        });
      } catch {
        return this.close('no_devices');
      }
      this.applyMicrophone();
    }
    if (this.status === 'closed') return this.stopLocal();
    await this.join();
  }

  private async join(): Promise<void> {
    const ack = (await this.socket.emitWithAck('mesh:join', { ...this.options.room, language: this.options.language, publish: this.options.publish })) as TMeshJoinAck;
    if (this.status === 'closed') return;
    if (!ack.ok) {
      this.status = 'refused';
      this.error = ack.error;
      this.stopLocal();
      return this.emitChange();
    }
    this.self = ack.self;
    this.iceServers = ack.iceServers;
    this.status = 'joined';
    for (const peer of ack.peers) this.peerJoined(peer);
    this.emitChange();
  }

  private rejoin(): void {
    for (const peerId of [...this.links.keys()]) this.drop(peerId);
    this.status = 'joining';
    void this.join();
  }

  /** Publishers open the connection: to a listener always, to another publisher when their id sorts first. */
  private opensTo(peer: TMeshPeer): boolean {
    if (!this.self?.publisher) return false;
    return !peer.publisher || this.self.peerId < peer.peerId;
  }

  private peerJoined(peer: TMeshPeer): void {
    // Two listeners have nothing to exchange.
    if (!peer.publisher && !this.self?.publisher) return;
    const link = this.link(peer);
    if (this.opensTo(peer)) void this.offer(link);
    this.emitChange();
  }

  private link(peer: TMeshPeer): TPeerLink {
    const existing = this.links.get(peer.peerId);
    if (existing) return existing;
    const connection = new RTCPeerConnection({ iceServers: this.iceServers });
    const link: TPeerLink = { peer, connection, stream: null, pending: [] };
    this.links.set(peer.peerId, link);
    connection.onicecandidate = ({ candidate }) => {
      if (candidate) this.send({ to: peer.peerId, kind: 'candidate', candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex } });
    };
    connection.ontrack = ({ track }) => {
      link.stream = new MediaStream([...(link.stream?.getTracks().filter((kept) => kept.kind !== track.kind) ?? []), track]);
      this.emitChange();
    };
    connection.onconnectionstatechange = () => this.emitChange();
    return link;
  }

  private send(message: { to: string; kind: 'offer' | 'answer'; sdp: string } | { to: string; kind: 'candidate'; candidate: RTCIceCandidateInit }): void {
    // A refusal (V28–V32) leaves that peer's connection unmade, which its tile shows as connecting.
    this.socket.emit('mesh:signal', { ...this.options.room, ...message }, (_ack: TMeshAck) => undefined);
  }

  private track(kind: 'audio' | 'video'): MediaStreamTrack | null {
    return this.local?.getTracks().find((track) => track.kind === kind) ?? null;
  }

  private async offer(link: TPeerLink): Promise<void> {
    for (const kind of ['audio', 'video'] as const) {
      const track = this.track(kind);
      link.connection.addTransceiver(track ?? kind, { direction: track ? 'sendrecv' : 'recvonly', streams: this.local ? [this.local] : [] });
    }
    const offer = await link.connection.createOffer();
    await link.connection.setLocalDescription(offer);
    this.send({ to: link.peer.peerId, kind: 'offer', sdp: link.connection.localDescription?.sdp ?? offer.sdp ?? '' });
  }

  private async received(message: TMeshRelayed): Promise<void> {
    if (message.kind === 'candidate') {
      const link = this.links.get(message.from);
      if (!link) return;
      if (link.connection.remoteDescription) await link.connection.addIceCandidate(message.candidate).catch(() => undefined);
      else link.pending.push(message.candidate);
      return;
    }
    if (message.kind === 'answer') {
      const link = this.links.get(message.from);
      if (!link) return;
      await link.connection.setRemoteDescription({ type: 'answer', sdp: message.sdp });
      return this.flush(link);
    }
    const link = this.links.get(message.from);
    if (!link) return;
    await link.connection.setRemoteDescription({ type: 'offer', sdp: message.sdp });
    // Our own tracks go where the offer made room for them; a listener receives only (V29).
    for (const transceiver of link.connection.getTransceivers()) {
      const track = this.self?.publisher ? this.track(transceiver.receiver.track.kind as 'audio' | 'video') : null;
      if (track) {
        await transceiver.sender.replaceTrack(track);
        if (this.local) transceiver.sender.setStreams(this.local);
      }
      transceiver.direction = track ? 'sendrecv' : 'recvonly';
    }
    const answer = await link.connection.createAnswer();
    await link.connection.setLocalDescription(answer);
    this.send({ to: message.from, kind: 'answer', sdp: link.connection.localDescription?.sdp ?? answer.sdp ?? '' });
    await this.flush(link);
  }

  private async flush(link: TPeerLink): Promise<void> {
    for (const candidate of link.pending.splice(0)) await link.connection.addIceCandidate(candidate).catch(() => undefined);
  }

  private drop(peerId: string): void {
    const link = this.links.get(peerId);
    if (!link) return;
    link.connection.close();
    this.links.delete(peerId);
    this.emitChange();
  }

  /** The microphone is live only when the grants allow it and the person has not muted it. */
  private applyMicrophone(): void {
    const microphone = this.track('audio');
    if (microphone) microphone.enabled = this.microphoneAllowed && !this.muted;
    const camera = this.track('video');
    if (camera) camera.enabled = this.cameraOn;
  }

  /** V4, V5: the grants as the browser folds them from the session's events. */
  setMicrophoneAllowed(allowed: boolean): void {
    if (allowed === this.microphoneAllowed) return;
    this.microphoneAllowed = allowed;
    // Losing the floor closes the microphone; gaining it opens it unless the person muted it.
    this.applyMicrophone();
    this.emitChange();
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.applyMicrophone();
    this.emitChange();
  }

  setCameraOn(on: boolean): void {
    this.cameraOn = on;
    this.applyMicrophone();
    this.emitChange();
  }

  private stopLocal(): void {
    for (const track of this.local?.getTracks() ?? []) track.stop();
  }

  /** Leaves the media room (or ends after the server closed our place). */
  close(reason: TMeshSnapshot['error'] = null): void {
    if (this.status === 'closed') return;
    const wasJoined = this.status === 'joined';
    this.status = 'closed';
    this.error = reason;
    for (const [event, handler] of this.handlers) this.socket.off(event, handler as never);
    for (const link of this.links.values()) link.connection.close();
    this.links.clear();
    this.stopLocal();
    if (wasJoined && reason === null) this.socket.emit('mesh:leave', this.options.room);
    this.emitChange();
  }
}
