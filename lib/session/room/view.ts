/**
 * What a browser receives about a room: the state, who the viewer is and may be, and the names the
 * state refers to by id. Built by the server from the session and the database, never from input.
 */
import type { TActorKind, TDelegationStatus, TRole } from '../../shared/domain';
import type { TSessionRoomState } from './state';

export interface TRoomViewer {
  userId: string;
  name: string;
  role: TRole | null;
  delegationId: string | null;
  delegationStatus: TDelegationStatus | null;
  /** What the policy lets the viewer's role do here; the room's own rules (S4–S14, S30–S46, S50–S75, V7–V26) still apply. */
  may: {
    control: boolean;
    manageAgenda: boolean;
    manageFloor: boolean;
    /** S81: the chair and secretariat for any delegation on the floor, a head for their own. */
    designateSpeaker: boolean;
    requestFloor: boolean;
    manageDecisions: boolean;
    vote: boolean;
    designateVoter: boolean;
    postPlenary: boolean;
    postDelegation: boolean;
    moderateChat: boolean;
    manageConsultations: boolean;
    recordPositions: boolean;
    configurePositions: boolean;
    writeWorkspace: boolean;
    moderateVideo: boolean;
    handOverBooth: boolean;
    manageSideRooms: boolean;
  };
}

export interface TRoomDirectory {
  delegations: { delegationId: string; name: string; kind: TActorKind; status: TDelegationStatus }[];
  /** With their delegation and role, so the floor can offer a delegation's speakers (S81). */
  people: { userId: string; name: string; delegationId: string | null; role: TRole }[];
}

export interface TSessionRoomView {
  sessionId: string;
  negotiationId: string;
  state: TSessionRoomState;
  viewer: TRoomViewer;
  directory: TRoomDirectory;
  /** The server's clock when the view was sent: browsers time speeches against it (S13). */
  serverNow: number;
  /** V1: which transport carries the video; recording (V18) needs a media server. */
  media: { transport: 'livekit' | 'mesh' };
}
