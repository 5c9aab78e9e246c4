/** Who a person is in a session's room, from the database: the same for the live room and the record (S1, S76). */
import type { TUser } from '../../../db/repositories/people';
import { can } from '../../../policy';
import type { TRoomViewer } from '../../../session/room/view';
import type { TViewerScope } from '../../../session/room/visibility';
import type { TNegotiationAccess } from '../../negotiations/authorize-in-negotiation';

/** The viewer's identity and abilities in the negotiation now. */
export function roomViewerOf(user: Pick<TUser, 'id' | 'name'>, access: TNegotiationAccess): TRoomViewer {
  const resource = { kind: 'negotiation', negotiationId: access.negotiation.id } as const;
  const may = (action: Parameters<typeof can>[1]) => can(access.actor, action, resource);
  return {
    userId: user.id,
    name: user.name,
    role: access.membership?.role ?? null,
    delegationId: access.membership?.delegationId ?? null,
    delegationStatus: access.membership?.delegationStatus ?? null,
    may: {
      control: may('session.control'),
      manageAgenda: may('agenda.manage'),
      manageFloor: may('floor.manage'),
      designateSpeaker: may('floor.designate'),
      requestFloor: may('floor.request'),
      manageDecisions: may('decision.manage'),
      vote: may('decision.vote'),
      designateVoter: may('decision.designate'),
      postPlenary: may('chat.plenary'),
      postDelegation: may('chat.delegation'),
      moderateChat: may('chat.moderate'),
      manageConsultations: may('consultation.manage'),
      recordPositions: may('position.record'),
      configurePositions: may('positions.configure'),
      writeWorkspace: may('workspace.write'),
      moderateVideo: may('video.moderate'),
      handOverBooth: may('interpretation.handover'),
      manageSideRooms: may('side_room.manage'),
    },
  };
}

/** What of the room the viewer may be shown: their delegation, and whether they run the session (the chair and secretariat). */
export function viewerScopeOf(viewer: TRoomViewer): TViewerScope {
  return { delegationId: viewer.delegationId, manager: viewer.may.manageFloor };
}
