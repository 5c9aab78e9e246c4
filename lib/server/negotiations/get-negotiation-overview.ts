import type { Database } from '../../db';
import type { TDraftingMode } from '../../db/repositories/documents';
import { listOpenInvitations, type TInvitation } from '../../db/repositories/invitations';
import {
  listDelegations,
  listDocuments,
  listMemberships,
  type TDelegation,
  type TDocumentRecord,
  type TMembership,
  type TNegotiation,
} from '../../db/repositories/negotiations';
import { listActors, type TActorRecord, type TUser } from '../../db/repositories/people';
import { listSessions, type TSessionRecord } from '../../db/repositories/sessions';
import { abilitiesIn, type TNegotiationAction } from '../../policy';
import { authorizeInNegotiation } from './authorize-in-negotiation';

export interface TNegotiationOverview {
  negotiation: TNegotiation;
  myMembership: TMembership | undefined;
  abilities: Record<TNegotiationAction, boolean>;
  delegations: (TDelegation & { members: TMembership[] })[];
  /** Members who serve the whole negotiation (secretariat, chair, interpreters, unattached observers). */
  staff: TMembership[];
  sessions: TSessionRecord[];
  documents: (Omit<TDocumentRecord, 'baseText'> & { draftingMode: TDraftingMode })[];
  /** Only for those who may invite. */
  openInvitations: Omit<TInvitation, 'tokenHash'>[];
  /** Only for those who may accredit: actors to choose from. */
  actors: TActorRecord[];
}

/** Everything the negotiation page shows, limited to what the viewer may see. */
export async function getNegotiationOverview(
  db: Database,
  user: TUser,
  negotiationId: unknown,
): Promise<TNegotiationOverview> {
  const { negotiation, membership, actor } = await authorizeInNegotiation(db, user, negotiationId, 'negotiation.view');
  const abilities = abilitiesIn(actor, negotiation.id);
  const [delegations, memberships, sessions, documents] = await Promise.all([
    listDelegations(db, negotiation.id),
    listMemberships(db, negotiation.id),
    listSessions(db, negotiation.id),
    listDocuments(db, negotiation.id),
  ]);
  const openInvitations = abilities['member.invite']
    ? (await listOpenInvitations(db, negotiation.id, Date.now())).map(({ tokenHash: _hidden, ...rest }) => rest)
    : [];
  return {
    negotiation,
    myMembership: membership,
    abilities,
    delegations: delegations.map((delegation) => ({
      ...delegation,
      members: memberships.filter((m) => m.delegationId === delegation.id),
    })),
    staff: memberships.filter((m) => m.delegationId === null),
    sessions,
    documents: documents.map(({ baseText: _body, ...rest }) => rest),
    openInvitations,
    actors: abilities['delegation.accredit'] ? await listActors(db) : [],
  };
}
