/**
 * The minutes of a session, generated from its log (issue 6): who attended for which delegation and
 * when, the agenda, the speeches and their durations, the amendments and their fate, every decision
 * with its method and result, the adopted texts and their signatories. Pure: the log is folded with
 * the room's one reducer (so a speech lasts exactly what the live timer said), and what the log
 * names only by id comes in as facts read by the server (names, amendment wording, adopted texts).
 */
import type { TBlock, TRun } from '../documents/blocks';
import { paragraphLabels } from '../documents/paragraph-labels';
import type { TActorKind, TDelegationStatus, TFloorKind, TRole } from '../shared/domain';
import type { TAgendaItem, TRoomEvent, TSessionRoomState, TSpeech } from './room/state';
import type { TQuestion } from './room/decisions';
import { reduceSessionRoom } from './room/reduce';
import { emptySessionRoom } from './room/state';
import { speechElapsedMs } from './room/timer';
import { clockDuration, speakingTotals, spokenSeconds } from './speaking-time';

export type TAmendmentFate = 'accepted' | 'rejected' | 'withdrawn' | 'pending';

/** What the log names by id, as the database has it when the minutes are generated. */
export interface TMinutesFacts {
  sessionTitle: string;
  negotiationTitle: string;
  delegations: { id: string; name: string; kind: TActorKind; status: TDelegationStatus }[];
  people: { userId: string; name: string }[];
  amendments: {
    id: string;
    documentId: string;
    documentTitle: string;
    pid: string;
    kind: 'replace' | 'insert' | 'delete';
    originalText: string;
    proposedText: string;
    delegationId: string;
    sponsorIds: string[];
  }[];
  /** Documents of the negotiation with their adopted text and signatures (adopted ones only). */
  adoptions: { documentId: string; title: string; textHash: string; blocks: TBlock[]; signatures: { delegationId: string; signerName: string; signedAt: number }[] }[];
  /** Every paragraph of the negotiation's documents and its status now (for the agreed share). */
  paragraphs: { documentId: string; pid: string; status: 'pending' | 'bracketed' | 'agreed_ad_ref' | 'agreed' }[];
  /** M9: the label (PP 1, OP 1, ¶ 1) of each paragraph the minutes name (amendments, questions), as the stored text has it now. */
  labels: { documentId: string; pid: string; label: string }[];
}

export interface TAttendanceEntry {
  userId: string;
  role: TRole;
  /** Each stay in the room; `to` null while still present when the log ends. */
  intervals: { from: number; to: number | null }[];
}

export interface TMinutesSpeech {
  speechId: string;
  kind: TFloorKind;
  userId: string | null;
  delegationId: string | null;
  grantedAt: number;
  endedAt: number | null;
  /** The whole seconds the timer ran (M8: rounded once, here; every total sums these). */
  seconds: number;
}

export interface TMinutesAmendment {
  amendmentId: string;
  documentId: string;
  pid: string;
  proposedAt: number | null;
  fate: TAmendmentFate;
  decidedAt: number | null;
}

export interface TMinutes {
  openedAt: number | null;
  closedAt: number | null;
  lastEventAt: number | null;
  /** Attendance by delegation (null: people of no delegation — the chair, the secretariat). */
  attendance: { delegationId: string | null; people: TAttendanceEntry[] }[];
  agenda: TAgendaItem[];
  speeches: TMinutesSpeech[];
  amendments: TMinutesAmendment[];
  decisions: TQuestion[];
  adopted: { documentId: string; textHash: string; at: number }[];
}

function recordAttendance(minutes: Map<string, TAttendanceEntry & { delegationId: string | null }>, before: TSessionRoomState, after: TSessionRoomState, at: number) {
  const key = (person: { userId: string; delegationId: string | null }) => `${person.userId}|${person.delegationId ?? ''}`;
  const was = new Map(before.attendance.present.map((person) => [key(person), person]));
  const is = new Map(after.attendance.present.map((person) => [key(person), person]));
  for (const [id, person] of is) {
    const previous = was.get(id);
    if (previous && previous.since === person.since) continue;
    const entry = minutes.get(id) ?? { userId: person.userId, delegationId: person.delegationId, role: person.role, intervals: [] };
    const open = entry.intervals.at(-1);
    if (open && open.to === null) open.to = at;
    entry.intervals.push({ from: at, to: null });
    entry.role = person.role;
    minutes.set(id, entry);
  }
  for (const id of was.keys()) {
    if (is.has(id)) continue;
    const open = minutes.get(id)?.intervals.at(-1);
    if (open && open.to === null) open.to = at;
  }
}

function speechOf(speech: TSpeech, endedAt: number | null, elapsedMs: number): TMinutesSpeech {
  return { speechId: speech.speechId, kind: speech.kind, userId: speech.userId, delegationId: speech.delegationId, grantedAt: speech.grantedAt, endedAt, seconds: spokenSeconds(elapsedMs) };
}

/** The minutes' facts of a session log: one fold with the room's reducer, watching what each event changed. */
export function buildMinutes(sessionId: string, events: readonly TRoomEvent[]): TMinutes {
  let state = emptySessionRoom(sessionId);
  const attendance = new Map<string, TAttendanceEntry & { delegationId: string | null }>();
  const speeches: TMinutesSpeech[] = [];
  const amendments = new Map<string, TMinutesAmendment>();
  const adopted: TMinutes['adopted'] = [];
  let openedAt: number | null = null;
  let closedAt: number | null = null;
  for (const event of events) {
    const next = reduceSessionRoom(state, event);
    if (next === state || next.seq === state.seq) continue;
    recordAttendance(attendance, state, next, event.at);
    const speech = state.floor.speech;
    if (speech && next.floor.speech?.speechId !== speech.speechId) speeches.push(speechOf(speech, event.at, speechElapsedMs(speech, event.at)));
    const payload = event.payload as Record<string, unknown>;
    if (event.type === 'session.status_changed' && payload.to === 'live') openedAt ??= event.at;
    if (event.type === 'session.status_changed' && payload.to === 'closed') closedAt = event.at;
    if (event.type === 'amendment.proposed' || event.type === 'amendment.decided') {
      const id = String(payload.amendmentId);
      const entry = amendments.get(id) ?? { amendmentId: id, documentId: String(payload.documentId ?? ''), pid: String(payload.pid ?? ''), proposedAt: null, fate: 'pending' as const, decidedAt: null };
      if (event.type === 'amendment.proposed') amendments.set(id, { ...entry, proposedAt: event.at, documentId: String(payload.documentId), pid: String(payload.pid) });
      else amendments.set(id, { ...entry, fate: payload.status as TAmendmentFate, decidedAt: event.at });
    }
    if (event.type === 'document.adopted') adopted.push({ documentId: String(payload.documentId), textHash: String(payload.textHash), at: event.at });
    state = next;
  }
  const last = events.at(-1)?.at ?? null;
  const running = state.floor.speech;
  if (running && last !== null) speeches.push(speechOf(running, null, speechElapsedMs(running, last)));
  const byDelegation = new Map<string | null, TAttendanceEntry[]>();
  for (const { delegationId, ...entry } of attendance.values()) byDelegation.set(delegationId, [...(byDelegation.get(delegationId) ?? []), entry]);
  return {
    openedAt,
    closedAt,
    lastEventAt: last,
    attendance: [...byDelegation].map(([delegationId, people]) => ({ delegationId, people })),
    agenda: state.agenda.items,
    speeches,
    amendments: [...amendments.values()],
    decisions: state.decisions.questions,
    adopted,
  };
}

/** Translates a key of messages/<locale>.json (the server passes next-intl's translator); the minutes' own keys are under `minutes`. */
export type TMinutesTranslate = (key: string, values?: Record<string, string | number>) => string;

/** `HH:MM` in UTC: the minutes are a document read anywhere, so they say their time zone once. */
export function utcTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** `YYYY-MM-DD` in UTC. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const plain = (text: string): TRun[] => [{ text, bold: false, italic: false }];
const heading = (level: number, text: string): TBlock => ({ pid: null, type: 'heading', level, kind: null, runs: plain(text) });
const paragraph = (text: string): TBlock => ({ pid: null, type: 'paragraph', level: 0, kind: null, runs: plain(text) });
const bullet = (text: string): TBlock => ({ pid: null, type: 'bullet', level: 0, kind: null, runs: plain(text) });

/** Names of delegations and people, with a stand-in for ids the facts do not know. */
function namesOf(facts: TMinutesFacts, t: TMinutesTranslate) {
  const delegations = new Map(facts.delegations.map((delegation) => [delegation.id, delegation.name]));
  const people = new Map(facts.people.map((person) => [person.userId, person.name]));
  const labels = new Map(facts.labels.map((entry) => [`${entry.documentId}|${entry.pid}`, entry.label]));
  return {
    /** M9: a paragraph by its label; one no longer in the text is "a paragraph". */
    paragraph: (documentId: string, pid: string) => labels.get(`${documentId}|${pid}`) ?? t('aParagraph'),
    delegation: (id: string | null) => (id === null ? t('noDelegation') : (delegations.get(id) ?? t('unknown'))),
    person: (id: string | null) => (id === null ? t('unknown') : (people.get(id) ?? t('unknown'))),
    /** M7: the speaker's name, or null when the record names nobody (a log older than S80) or someone the facts do not know. */
    speaker: (id: string | null) => (id === null ? null : (people.get(id) ?? null)),
  };
}

/** M7: a speech names its delegation and speaker; a speech of an old log that names no speaker names the delegation alone. */
function speechLine(speech: TMinutesSpeech, names: ReturnType<typeof namesOf>, m: TMinutesTranslate): string {
  const values = { time: utcTime(speech.grantedAt), delegation: names.delegation(speech.delegationId), kind: m(`speakers.kind.${speech.kind}`), duration: clockDuration(speech.seconds) };
  const speaker = names.speaker(speech.userId);
  return speaker === null ? m('speakers.speechOfDelegation', values) : m('speakers.speech', { ...values, speaker });
}

function decisionSubject(question: TQuestion, names: ReturnType<typeof namesOf>, facts: TMinutesFacts, t: TMinutesTranslate): string {
  const { subject } = question;
  switch (subject.kind) {
    case 'procedural':
      return t('decision.subject.procedural', { text: subject.text });
    case 'document':
      return t('decision.subject.document', { title: subject.documentTitle });
    case 'paragraph':
      return t('decision.subject.paragraph', { label: names.paragraph(subject.documentId, subject.pid), title: subject.documentTitle, excerpt: subject.excerpt });
    case 'amendment': {
      const pid = facts.amendments.find((amendment) => amendment.id === subject.amendmentId)?.pid;
      const label = pid === undefined ? t('aParagraph') : names.paragraph(subject.documentId, pid);
      return t('decision.subject.amendment', { label, title: subject.documentTitle, delegation: names.delegation(subject.delegationId), excerpt: subject.excerpt });
    }
  }
}

function decisionBlocks(question: TQuestion, names: ReturnType<typeof namesOf>, facts: TMinutesFacts, t: TMinutesTranslate): TBlock[] {
  const method = question.ballot ? t('decision.methodWithBallot', { method: t(`decision.method.${question.method}`), ballot: t(`decision.ballot.${question.ballot}`) }) : t(`decision.method.${question.method}`);
  const blocks = [paragraph(t('decision.line', { subject: decisionSubject(question, names, facts, t), method, time: utcTime(question.openedAt) }))];
  const result = question.result;
  if (!result) return [...blocks, bullet(t('decision.stillOpen'))];
  blocks.push(bullet(t('decision.result', { outcome: t(`decision.outcome.${result.outcome}`), time: utcTime(result.closedAt) })));
  if (result.tally) blocks.push(bullet(t('decision.tally', { ...result.tally, entitled: result.entitled.length })));
  // Roll-call choices are public by delegation; a secret ballot's record holds none (T38), so only its totals appear.
  if (question.ballot === 'roll_call') for (const choice of question.choices) blocks.push(bullet(t('decision.choice', { delegation: names.delegation(choice.delegationId), choice: t(`decision.choices.${choice.choice}`) })));
  if (question.objection) blocks.push(bullet(t('decision.objection', { delegation: names.delegation(question.objection.delegationId), reason: question.objection.reason })));
  return blocks;
}

/**
 * M9: an adopted text inside the minutes. The minutes are Markdown, which keeps no paragraph ids, so
 * each paragraph opens with its label (PP 1, OP 1, ¶ 1) in bold as text; the text's own headings sit
 * below the minutes' section headings.
 */
function adoptedText(blocks: readonly TBlock[]): TBlock[] {
  const labels = paragraphLabels(blocks);
  return blocks.map((block) => {
    if (block.type === 'heading') return { ...block, pid: null, level: Math.min(block.level + 3, 6) };
    const label = block.pid === null ? undefined : labels.get(block.pid);
    return { ...block, pid: null, kind: null, runs: label ? [{ text: `${label} `, bold: true, italic: false }, ...block.runs] : block.runs };
  });
}

/**
 * The generated minutes as blocks (the shape every export and the page share): the secretariat's
 * draft starts as their Markdown.
 */
export function minutesBlocks(minutes: TMinutes, facts: TMinutesFacts, t: TMinutesTranslate): TBlock[] {
  const m: TMinutesTranslate = (key, values) => t(`minutes.${key}`, values);
  const names = namesOf(facts, m);
  const blocks: TBlock[] = [heading(1, m('title', { session: facts.sessionTitle })), paragraph(facts.negotiationTitle)];
  if (minutes.openedAt !== null) blocks.push(paragraph(m('held', { date: utcDate(minutes.openedAt), from: utcTime(minutes.openedAt), to: minutes.closedAt === null ? '—' : utcTime(minutes.closedAt) })));
  else blocks.push(paragraph(m('neverOpened')));

  blocks.push(heading(2, m('attendance.heading')));
  if (minutes.attendance.length === 0) blocks.push(paragraph(m('attendance.none')));
  const sortedAttendance = [...minutes.attendance].sort((a, b) => (a.delegationId === null ? -1 : b.delegationId === null ? 1 : names.delegation(a.delegationId).localeCompare(names.delegation(b.delegationId))));
  for (const group of sortedAttendance) {
    blocks.push(heading(3, names.delegation(group.delegationId)));
    for (const person of group.people) {
      const stays = person.intervals.map((stay) => m('attendance.stay', { from: utcTime(stay.from), to: stay.to === null ? '—' : utcTime(stay.to) })).join(', ');
      blocks.push(bullet(m('attendance.person', { name: names.person(person.userId), role: t(`roles.${person.role}`), stays })));
    }
  }

  blocks.push(heading(2, m('agenda.heading')));
  if (minutes.agenda.length === 0) blocks.push(paragraph(m('agenda.none')));
  minutes.agenda.forEach((item, index) => {
    const when = item.takenUpAt === null ? m('agenda.notReached') : m('agenda.taken', { from: utcTime(item.takenUpAt), to: item.doneAt === null ? '—' : utcTime(item.doneAt) });
    blocks.push(bullet(m('agenda.item', { number: index + 1, title: item.title, when })));
  });

  blocks.push(heading(2, m('speakers.heading')));
  if (minutes.speeches.length === 0) blocks.push(paragraph(m('speakers.none')));
  for (const speech of minutes.speeches) blocks.push(bullet(speechLine(speech, names, m)));
  // M8: the totals the summary's chart draws, from the same seconds the speeches above list.
  if (minutes.speeches.length > 0) {
    blocks.push(heading(3, m('speakers.totals')));
    for (const total of speakingTotals(minutes.speeches, (speech) => speech.delegationId)) {
      blocks.push(bullet(m('speakers.total', { delegation: names.delegation(total.key), duration: clockDuration(total.seconds), count: total.speeches })));
    }
  }

  blocks.push(heading(2, m('amendments.heading')));
  if (minutes.amendments.length === 0) blocks.push(paragraph(m('amendments.none')));
  const amendmentFacts = new Map(facts.amendments.map((amendment) => [amendment.id, amendment]));
  for (const amendment of minutes.amendments) {
    const known = amendmentFacts.get(amendment.amendmentId);
    blocks.push(
      bullet(
        m('amendments.item', {
          delegation: names.delegation(known?.delegationId ?? null),
          kind: m(`amendments.kind.${known?.kind ?? 'replace'}`),
          label: names.paragraph(amendment.documentId, amendment.pid),
          document: known?.documentTitle ?? m('unknown'),
          text: known ? (known.kind === 'delete' ? known.originalText : known.proposedText) : '',
          fate: m(`amendments.fate.${amendment.fate}`),
        }),
      ),
    );
    if (known && known.sponsorIds.length > 0) blocks.push(bullet(m('amendments.sponsors', { delegations: known.sponsorIds.map((id) => names.delegation(id)).join(', ') })));
  }

  blocks.push(heading(2, m('decisions.heading')));
  if (minutes.decisions.length === 0) blocks.push(paragraph(m('decisions.none')));
  for (const question of minutes.decisions) blocks.push(...decisionBlocks(question, names, facts, m));

  blocks.push(heading(2, m('adopted.heading')));
  if (minutes.adopted.length === 0) blocks.push(paragraph(m('adopted.none')));
  const adoptionFacts = new Map(facts.adoptions.map((adoption) => [adoption.documentId, adoption]));
  for (const adoption of minutes.adopted) {
    const known = adoptionFacts.get(adoption.documentId);
    if (!known) continue;
    blocks.push(heading(3, known.title), paragraph(m('adopted.hash', { time: utcTime(adoption.at), hash: adoption.textHash })));
    blocks.push(...adoptedText(known.blocks));
    blocks.push(heading(4, m('adopted.signatories')));
    if (known.signatures.length === 0) blocks.push(paragraph(m('adopted.noSignatures')));
    for (const signature of known.signatures) blocks.push(bullet(m('adopted.signature', { delegation: names.delegation(signature.delegationId), signer: signature.signerName, date: utcDate(signature.signedAt), time: utcTime(signature.signedAt) })));
  }
  return blocks;
}
