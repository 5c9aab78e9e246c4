/**
 * Positions, the consensus map's setting and the delegation workspace (docs/PROTOCOL.md S62–S75).
 * What a delegation says is stored for the whole negotiation (so the next session starts from it)
 * in the transaction that logs it here; the delegation is always the sender's own.
 */
import type { Queryable } from '../../../db';
import { findAmendment } from '../../../db/repositories/amendments';
import { findLiveDocument } from '../../../db/repositories/documents';
import { updatePositionMapVisibility, upsertPosition, upsertWorkspaceNote } from '../../../db/repositories/positions';
import { findParagraph } from '../../../documents/paragraph-edit';
import { activeConsultation } from '../../../session/room/chat';
import { isEntryOf, type TPositionTarget } from '../../../session/room/positions';
import type { TRoomRefusal } from '../../../session/room/commands';
import { readStoredDocument } from '../../documents/read-document';
import { proposeEvent, type TProposedEvent } from '../record-event';
import { speaksForDelegation } from './chat-commands';
import { accept, refuse, statusRefusal, type TCommandHandlers } from './command-registry';

/**
 * S63: a target must exist now: a paragraph of the stored text of a document of this negotiation,
 * or an amendment of that document still open for decision. Returns the refusal, or null.
 */
async function targetRefusal(tx: Queryable, negotiationId: string, documentId: string, target: TPositionTarget): Promise<TRoomRefusal | null> {
  const document = await findLiveDocument(tx, documentId);
  if (!document || document.negotiationId !== negotiationId) return 'not_found';
  if (target.kind === 'amendment') {
    const amendment = await findAmendment(tx, documentId, target.amendmentId);
    if (!amendment) return 'not_found';
    return amendment.status === 'proposed' ? null : 'invalid_transition';
  }
  const doc = await readStoredDocument(tx, documentId);
  const exists = findParagraph(doc, target.pid) !== null;
  doc.destroy();
  return exists ? null : 'not_found';
}

type TPositionCommand = 'position.record' | 'positions.set_visibility' | 'workspace.write' | 'workspace.share' | 'workspace.unshare';

export const POSITION_COMMANDS: TCommandHandlers<TPositionCommand> = {
  // Heads and delegates of member delegations (the policy), for their own delegation.
  'position.record': {
    action: 'position.record',
    async decide({ state, actor, tx, session, now }, { documentId, target, stance, note }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      const delegationId = actor.delegationId;
      if (delegationId === null) return refuse('forbidden');
      const missing = await targetRefusal(tx, session.negotiationId, documentId, target);
      if (missing) return refuse(missing);
      const events: TProposedEvent[] = [proposeEvent('position.recorded', { delegationId, documentId, target, stance, visibility: state.positions.visibility })];
      const previous = state.positions.notes.find((entry) => isEntryOf(entry, delegationId, documentId, target))?.text ?? '';
      if (note !== previous) events.push(proposeEvent('position.note_set', { delegationId, documentId, target, text: note }));
      return {
        ok: true,
        events,
        alsoInTransaction: (write) => upsertPosition(write, session.negotiationId, { delegationId, documentId, target, stance, note }, { userId: actor.userId, at: now, sessionId: session.id }),
      };
    },
  },
  'positions.set_visibility': {
    action: 'positions.configure',
    decide({ state, session }, { visibility }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      if (visibility === state.positions.visibility) return refuse('invalid_transition');
      return {
        ok: true,
        events: [proposeEvent('positions.visibility_changed', { from: state.positions.visibility, to: visibility })],
        alsoInTransaction: (write) => updatePositionMapVisibility(write, session.negotiationId, visibility),
      };
    },
  },
  'workspace.write': {
    action: 'workspace.write',
    async decide({ state, actor, tx, session, now }, { documentId, pid, text }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      const delegationId = actor.delegationId;
      if (delegationId === null) return refuse('forbidden');
      const missing = await targetRefusal(tx, session.negotiationId, documentId, { kind: 'paragraph', pid });
      if (missing) return refuse(missing);
      const sharedWith = state.workspace.shares.find((share) => share.delegationId === delegationId)?.partnerDelegationId ?? null;
      return {
        ok: true,
        events: [proposeEvent('workspace.note_set', { delegationId, documentId, pid, text, sharedWith })],
        alsoInTransaction: (write) => upsertWorkspaceNote(write, session.negotiationId, { delegationId, documentId, pid, text }, { userId: actor.userId, at: now, sessionId: session.id }),
      };
    },
  },
  // S73: with one partner at a time, with whom the delegation has an open consultation.
  'workspace.share': {
    action: 'consultation.manage',
    decide({ state, actor }, { delegationId: partnerDelegationId }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      if (!speaksForDelegation(actor)) return refuse('forbidden');
      const delegationId = actor.delegationId;
      if (activeConsultation(state.chat.consultations, delegationId, partnerDelegationId)?.status !== 'open') return refuse('no_consultation');
      const current = state.workspace.shares.find((share) => share.delegationId === delegationId);
      if (current?.partnerDelegationId === partnerDelegationId) return refuse('invalid_transition');
      const events: TProposedEvent[] = current ? [proposeEvent('workspace.unshared', { ...current, reason: 'revoked' })] : [];
      return accept([...events, proposeEvent('workspace.shared', { delegationId, partnerDelegationId })]);
    },
  },
  'workspace.unshare': {
    action: 'consultation.manage',
    decide({ state, actor }) {
      const blocked = statusRefusal(state.status, 'open');
      if (blocked) return refuse(blocked);
      if (!speaksForDelegation(actor)) return refuse('forbidden');
      const current = state.workspace.shares.find((share) => share.delegationId === actor.delegationId);
      return current ? accept([proposeEvent('workspace.unshared', { ...current, reason: 'revoked' })]) : refuse('invalid_transition');
    },
  },
};
