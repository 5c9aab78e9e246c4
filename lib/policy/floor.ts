/**
 * Floor rules that depend on the speech as well as the role, for the server's command and the UI
 * that hides what the command would refuse. Pure, like the rest of the policy module.
 */
import type { TRole } from '../shared/domain';

/**
 * S81: beyond the role's `floor.designate` (chair, secretariat, heads), a head names the speaker
 * only of a speech given to their own delegation.
 */
export function mayDesignateSpeakerOf(actor: { role: TRole | null; delegationId: string | null }, speechDelegationId: string): boolean {
  return actor.role !== 'head' || actor.delegationId === speechDelegationId;
}
