/**
 * Who may see each event of the session log in the room (S23). Visibility is part of the event
 * type: every type of the catalogue must name its audience here, or the build fails. The socket
 * layer maps an audience to the server-computed socket rooms; clients never pick one.
 */
import type { TSessionEventPayload, TSessionEventType } from '../events';

export type TAudience =
  /** Everyone who has the room open. */
  | { kind: 'room' }
  /** Nobody in the room: the event belongs to another view (the drafting room carries document events). */
  | { kind: 'nobody' }
  /** Only the people of one delegation (delegation-internal notes, chat). */
  | { kind: 'delegation'; delegationId: string }
  /** Only those who run the session (chair, secretariat). */
  | { kind: 'managers' };

const ROOM: TAudience = { kind: 'room' };
const NOBODY: TAudience = { kind: 'nobody' };

/** An audience per type, or a function of the payload where it depends on it (a delegation's own channel). */
const AUDIENCES: { [Type in TSessionEventType]: TAudience | ((payload: TSessionEventPayload<Type>) => TAudience) } = {
  'session.scheduled': ROOM,
  'session.status_changed': ROOM,
  'membership.added': ROOM,
  'membership.role_changed': ROOM,
  // Text, comments, amendments and brackets reach the drafting room through the document hub, each
  // with its own rules (a delegation-only comment must not reach the plenary).
  'document.updated': NOBODY,
  'document.mode_changed': NOBODY,
  'document.adopted': NOBODY,
  'document.signed': NOBODY,
  'paragraph.status_changed': NOBODY,
  'amendment.proposed': NOBODY,
  'amendment.cosponsored': NOBODY,
  'amendment.decided': NOBODY,
  'comment.added': NOBODY,
  'bracket.opened': NOBODY,
  'bracket.alternative_proposed': NOBODY,
  'bracket.resolved': NOBODY,
  'delegation.accredited': ROOM,
  'quorum.roster_recorded': ROOM,
  'quorum.rule_changed': ROOM,
  'attendance.joined': ROOM,
  'attendance.left': ROOM,
  'agenda.item_added': ROOM,
  'agenda.item_edited': ROOM,
  'agenda.item_removed': ROOM,
  'agenda.item_moved': ROOM,
  'agenda.current_set': ROOM,
  'floor.requested': ROOM,
  'floor.request_withdrawn': ROOM,
  'floor.request_removed': ROOM,
  'floor.request_moved': ROOM,
  'floor.request_skipped': ROOM,
  'floor.granted': ROOM,
  'speech.started': ROOM,
  'speech.paused': ROOM,
  'speech.resumed': ROOM,
  'speech.ended': ROOM,
  'floor.settings_changed': ROOM,
  // Decisions are public to the room; a secret ballot's event carries no choice (T38).
  'decision.opened': ROOM,
  'decision.voter_designated': ROOM,
  'decision.ballot_cast': ROOM,
  'decision.objected': ROOM,
  'decision.closed': ROOM,
  'decision.outcome_applied': ROOM,
  'decision.outcome_failed': ROOM,
};

/** The audience of an event of the log; types this version does not know reach nobody. */
export function audienceOf(event: { type: string; payload: unknown }): TAudience {
  if (!Object.hasOwn(AUDIENCES, event.type)) return NOBODY;
  const audience = AUDIENCES[event.type as TSessionEventType] as TAudience | ((payload: unknown) => TAudience);
  return typeof audience === 'function' ? audience(event.payload) : audience;
}
