/**
 * The demo's recorded history: an earlier plenary of the Metropolis meeting, closed, whose log holds
 * what a real session records — attendance, an agenda, speeches with pauses (one given directly to a
 * delegation whose head hands it to a colleague), floor requests granted,
 * withdrawn and left waiting, amendments and their fate, paragraph statuses, a roll-call, a secret
 * ballot, the adoption of a short statement and its signatures — so the minutes and the charts of
 * the summary page have something to show on a fresh install. Every event goes through the same
 * catalogue and hash chain as live ones; the tables beside the log (amendments, statuses,
 * signatures, the adopted text) hold what the events say.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db';
import { insertSignature } from '../db/repositories/adoption';
import { decideAmendment, insertAmendment, insertSponsor } from '../db/repositories/amendments';
import { findLiveDocument, upsertParagraphStatus } from '../db/repositories/documents';
import { insertDocument } from '../db/repositories/negotiations';
import { insertSession, updateSessionStatus } from '../db/repositories/sessions';
import { documentBlocks } from '../documents/blocks';
import type { TSessionEventPayload, TSessionEventType } from '../session/events';
import type { TRole } from '../shared/domain';
import { adoptStoredText } from './documents/adopt-text';
import { readStoredDocument } from './documents/read-document';
import { seedBaseTextOnce } from './documents/seed-base-text';
import { recordSessionEvent } from './sessions/record-event';
import { rosterEvent } from './sessions/session-transition';

/** The statement adopted in the recorded session (its second paragraph as amended by Seoul). */
export const STATEMENT_TITLE = 'Statement on a World Heat Action Day';
const STATEMENT_TEXT = `Statement on a World Heat Action Day
We, the mayors of the member cities of Metropolis,
Alarmed by the deaths that every summer's heatwaves cause in our cities,
1. Call for a World Heat Action Day to be observed each year on the first Monday of June;
2. Commit to open cooling centres in every district and to publish our heat-action plans before that day;
3. Invite national governments and international organizations to support the Day.`;
const AMENDED_PARAGRAPH = 'Commit to open cooling centres in every district and to publish our heat-action plans before that day;';

export const RECORDED_SESSION_TITLE = 'Plenary — opening and general debate';

export interface TDemoRecordContext {
  tx: Queryable;
  now: number;
  negotiationId: string;
  /** Account ids by their e-mail's local part (`chair`, `head.seoul`…). */
  users: Map<string, string>;
  /** Delegation ids by city slug, and `unhabitat` for the observer delegation. */
  delegations: Map<string, string>;
}

/** Seeds the recorded earlier session (closed two days ago) and the statement it adopted. */
export async function seedRecordedSession(ctx: TDemoRecordContext): Promise<void> {
  const { tx, negotiationId } = ctx;
  const userOf = (local: string) => ctx.users.get(local) ?? '';
  const delegationOf = (slug: string) => ctx.delegations.get(slug) ?? '';
  const start = new Date(ctx.now - 2 * 24 * 60 * 60_000);
  start.setUTCHours(9, 0, 0, 0);
  const t0 = start.getTime();
  const at = (minutes: number) => t0 + Math.round(minutes * 60_000);

  const documentId = randomUUID();
  await insertDocument(tx, { id: documentId, negotiationId, title: STATEMENT_TITLE, kind: 'declaration', baseText: STATEMENT_TEXT, createdBy: userOf('secretariat'), createdAt: at(-60) });
  await seedBaseTextOnce(tx, documentId, STATEMENT_TEXT, at(-60));
  const doc = await readStoredDocument(tx, documentId);
  const paragraphs = documentBlocks(doc).filter((block) => block.type !== 'heading' && block.pid);
  doc.destroy();
  const pidOf = (index: number) => paragraphs[index]?.pid ?? '';
  const textOf = (index: number) => paragraphs[index]?.runs.map((run) => run.text).join('') ?? '';

  const sessionId = randomUUID();
  await insertSession(tx, { id: sessionId, negotiationId, title: RECORDED_SESSION_TITLE, scheduledStart: t0, status: 'scheduled', createdAt: at(-60) });
  const roles = new Map<string, { role: TRole; delegationId: string | null }>([
    ['secretariat', { role: 'secretariat', delegationId: null }],
    ['chair', { role: 'chair', delegationId: null }],
    ['observer', { role: 'observer', delegationId: delegationOf('unhabitat') }],
  ]);
  for (const slug of ['montreal', 'barcelona', 'seoul', 'saopaulo', 'johannesburg', 'nizhny', 'brazzaville']) {
    roles.set(`head.${slug}`, { role: 'head', delegationId: delegationOf(slug) });
    roles.set(`delegate.${slug}`, { role: 'delegate', delegationId: delegationOf(slug) });
  }
  const record = async <Type extends TSessionEventType>(local: string | null, type: Type, payload: TSessionEventPayload<Type>, minutes: number) => {
    const membership = local === null ? undefined : roles.get(local);
    await recordSessionEvent(tx, sessionId, { user: local === null ? null : { id: userOf(local) }, membership }, type, payload, at(minutes));
  };
  const join = (local: string, minutes: number) => {
    const membership = roles.get(local);
    return record(null, 'attendance.joined', { userId: userOf(local), delegationId: membership?.delegationId ?? null, role: membership?.role ?? 'observer' }, minutes);
  };
  // `designee`: the head hands the floor to a colleague before the speech starts (S81).
  const speech = async (speechId: string, requestId: string | null, local: string, from: number, to: number, { pause, designee }: { pause?: [number, number]; designee?: string } = {}) => {
    const membership = roles.get(local);
    await record('chair', 'floor.granted', { speechId, requestId, kind: 'regular', userId: userOf(local), delegationId: membership?.delegationId ?? null, limitSeconds: 300, warningSeconds: 30 }, from);
    if (designee) await record(local, 'floor.speaker_designated', { speechId, userId: userOf(designee) }, from);
    await record('chair', 'speech.started', { speechId }, from);
    if (pause) {
      await record('chair', 'speech.paused', { speechId }, pause[0]);
      await record('chair', 'speech.resumed', { speechId }, pause[1]);
    }
    await record('chair', 'speech.ended', { speechId }, to);
  };
  const request = (requestId: string, local: string, minutes: number) =>
    record(local, 'floor.requested', { requestId, kind: 'regular', userId: userOf(local), delegationId: roles.get(local)?.delegationId ?? null }, minutes);

  await record('secretariat', 'session.scheduled', { title: RECORDED_SESSION_TITLE, scheduledStart: t0 }, -60);
  const roster = await rosterEvent(tx, negotiationId);
  await record(null, roster.type, roster.payload as TSessionEventPayload<'quorum.roster_recorded'>, 0);
  await record('chair', 'session.status_changed', { from: 'scheduled', to: 'live' }, 0);
  const present = ['chair', 'secretariat', 'head.montreal', 'head.barcelona', 'head.seoul', 'delegate.seoul', 'head.saopaulo', 'head.johannesburg', 'observer'];
  for (const [index, local] of present.entries()) await join(local, 0.2 + index * 0.1);
  const agenda = [
    { itemId: randomUUID(), title: 'Opening of the session and adoption of the agenda', plannedMinutes: 5 },
    { itemId: randomUUID(), title: 'General debate on urban heat', plannedMinutes: 30 },
    { itemId: randomUUID(), title: 'Statement on a World Heat Action Day', plannedMinutes: 20 },
  ];
  for (const [index, item] of agenda.entries()) await record('secretariat', 'agenda.item_added', { ...item, index }, 1);
  await record('chair', 'agenda.current_set', { itemId: agenda[0]?.itemId ?? null }, 2);
  await record('chair', 'agenda.current_set', { itemId: agenda[1]?.itemId ?? null }, 6);

  await request('r-seoul', 'head.seoul', 6.5);
  await request('r-barcelona', 'head.barcelona', 6.6);
  await request('r-montreal', 'head.montreal', 6.7);
  await request('r-johannesburg', 'head.johannesburg', 7);
  await speech('s-seoul', 'r-seoul', 'head.seoul', 7, 11.5, { pause: [9, 9.5] });
  await speech('s-barcelona', 'r-barcelona', 'head.barcelona', 11.6, 14.2);
  await record('head.montreal', 'floor.request_withdrawn', { requestId: 'r-montreal' }, 14.5);
  await speech('s-johannesburg', 'r-johannesburg', 'head.johannesburg', 14.6, 18.4);
  await speech('s-unhabitat', null, 'observer', 18.5, 20.5);
  await request('r-saopaulo', 'head.saopaulo', 20.6);
  // The chair gives Seoul the floor directly: its head, as the server names by default (S80), hands it to Seoul's delegate.
  await speech('s-seoul-delegate', null, 'head.seoul', 21, 23.5, { designee: 'delegate.seoul' });
  await record(null, 'attendance.left', { userId: userOf('head.saopaulo'), reason: 'disconnected' }, 24);
  await join('head.saopaulo', 27);
  await record('chair', 'agenda.current_set', { itemId: agenda[2]?.itemId ?? null }, 28);

  // Amendments: Seoul's accepted (the statement's text already carries it), Barcelona's rejected, São Paulo's withdrawn.
  const amendments = [
    { id: randomUUID(), local: 'head.seoul', slug: 'seoul', pid: pidOf(3), kind: 'replace' as const, originalText: 'Commit to open cooling centres in every district;', proposedText: AMENDED_PARAGRAPH, fate: 'accepted' as const },
    { id: randomUUID(), local: 'head.barcelona', slug: 'barcelona', pid: pidOf(2), kind: 'replace' as const, originalText: textOf(2), proposedText: 'Call for a World Heat Action Day to be observed each year on 21 June;', fate: 'rejected' as const },
    { id: randomUUID(), local: 'head.saopaulo', slug: 'saopaulo', pid: pidOf(4), kind: 'delete' as const, originalText: textOf(4), proposedText: '', fate: 'withdrawn' as const },
  ];
  for (const [index, amendment] of amendments.entries()) {
    await insertAmendment(tx, { id: amendment.id, documentId, pid: amendment.pid, kind: amendment.kind, originalText: amendment.originalText, proposedText: amendment.proposedText, rationale: '', delegationId: delegationOf(amendment.slug), proposedBy: userOf(amendment.local), createdAt: at(29 + index) });
    await record(amendment.local, 'amendment.proposed', { amendmentId: amendment.id, documentId, pid: amendment.pid, kind: amendment.kind }, 29 + index);
  }
  await insertSponsor(tx, amendments[0]?.id ?? '', delegationOf('montreal'), userOf('head.montreal'), at(32));
  await record('head.montreal', 'amendment.cosponsored', { amendmentId: amendments[0]?.id ?? '', delegationId: delegationOf('montreal') }, 32);
  for (const [index, amendment] of amendments.entries()) {
    const decider = amendment.fate === 'withdrawn' ? amendment.local : 'chair';
    await decideAmendment(tx, amendment.id, amendment.fate, userOf(decider), at(34 + index));
    await record(decider, 'amendment.decided', { amendmentId: amendment.id, status: amendment.fate, documentSeq: null }, 34 + index);
  }

  // Paragraph statuses as the debate settled them.
  const statuses: [number, 'agreed_ad_ref' | 'agreed', number][] = [
    [0, 'agreed', 37],
    [1, 'agreed_ad_ref', 38],
    [4, 'agreed', 39],
    [1, 'agreed', 40],
    [3, 'agreed', 41],
  ];
  const current = new Map<string, 'pending' | 'agreed_ad_ref' | 'agreed'>();
  for (const [index, status, minutes] of statuses) {
    const pid = pidOf(index);
    await upsertParagraphStatus(tx, documentId, pid, status, userOf('chair'), at(minutes));
    await record('chair', 'paragraph.status_changed', { documentId, pid, from: current.get(pid) ?? 'pending', to: status }, minutes);
    current.set(pid, status);
  }

  const quorum = { present: 5, required: 4, members: 7 };
  const members = ['montreal', 'barcelona', 'seoul', 'saopaulo', 'johannesburg', 'nizhny', 'brazzaville'].map(delegationOf).sort();
  const rollCall = randomUUID();
  const subject = { kind: 'paragraph' as const, documentId, documentTitle: STATEMENT_TITLE, pid: pidOf(2), excerpt: textOf(2).slice(0, 80) };
  await record('chair', 'decision.opened', { decisionId: rollCall, subject, method: 'majority', ballot: 'roll_call', deadline: null, quorum }, 42);
  const choices = [['seoul', 'yes'], ['montreal', 'yes'], ['barcelona', 'no'], ['johannesburg', 'yes'], ['saopaulo', 'abstain']] as const;
  for (const [index, [slug, choice]] of choices.entries()) await record(`head.${slug}`, 'decision.ballot_cast', { decisionId: rollCall, delegationId: delegationOf(slug), choice }, 42.5 + index * 0.2);
  await record('chair', 'decision.closed', { decisionId: rollCall, outcome: 'adopted', closedBy: 'chair', entitled: members, tally: { yes: 3, no: 1, abstain: 1 }, quorum }, 44);
  await upsertParagraphStatus(tx, documentId, pidOf(2), 'agreed', userOf('chair'), at(44));
  await record('chair', 'paragraph.status_changed', { documentId, pid: pidOf(2), from: 'pending', to: 'agreed' }, 44);
  await record('chair', 'decision.outcome_applied', { decisionId: rollCall, documentSeq: null }, 44);

  const secret = randomUUID();
  await record('chair', 'decision.opened', { decisionId: secret, subject: { kind: 'procedural', text: 'Hold the next plenary in Seoul' }, method: 'majority', ballot: 'secret', deadline: null, quorum }, 46);
  for (const [index, slug] of ['seoul', 'montreal', 'barcelona', 'johannesburg', 'saopaulo'].entries()) await record(`head.${slug}`, 'decision.ballot_cast', { decisionId: secret, delegationId: delegationOf(slug), choice: null }, 46.5 + index * 0.2);
  await record('chair', 'decision.closed', { decisionId: secret, outcome: 'adopted', closedBy: 'chair', entitled: members, tally: { yes: 4, no: 0, abstain: 1 }, quorum }, 48);

  const document = await findLiveDocument(tx, documentId);
  const textHash = document ? await adoptStoredText(tx, document, at(50)) : null;
  if (textHash) {
    await record('chair', 'document.mode_changed', { documentId, from: 'open_drafting', to: 'adopted' }, 50);
    await record('chair', 'document.adopted', { documentId, textHash }, 50);
    for (const [index, slug] of ['seoul', 'montreal', 'johannesburg'].entries()) {
      await insertSignature(tx, { documentId, delegationId: delegationOf(slug), userId: userOf(`head.${slug}`), textHash, signedAt: at(52 + index) });
      await record(`head.${slug}`, 'document.signed', { documentId, delegationId: delegationOf(slug), textHash }, 52 + index);
    }
  }
  await record('chair', 'session.status_changed', { from: 'live', to: 'closed' }, 58);
  await updateSessionStatus(tx, sessionId, 'closed');
}
