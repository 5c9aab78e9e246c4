/**
 * A session's minutes and analytics (docs/PROTOCOL.md M1–M6): generated from the log with the pure
 * modules of lib/session, edited by the chair and secretariat as Markdown, published (frozen, and
 * logged with their sha256) by the secretariat, exported as Markdown, printable HTML or Word.
 * Every entry point (the summary page, the routes) goes through these use cases and the policy.
 */
import { createHash } from 'node:crypto';
import { createTranslator } from 'next-intl';
import { z } from 'zod';
import messages from '../../../messages/en.json' with { type: 'json' };
import type { Database, Queryable } from '../../db';
import { findAdoption, listSignatures } from '../../db/repositories/adoption';
import { listAmendments } from '../../db/repositories/amendments';
import { listParagraphStatuses } from '../../db/repositories/documents';
import { findMinutes, writeMinutes, type TStoredMinutes } from '../../db/repositories/minutes';
import { listDelegations, listDocuments, listMemberships } from '../../db/repositories/negotiations';
import type { TUser } from '../../db/repositories/people';
import { findSessionById, listSessionEvents, type TSessionRecord } from '../../db/repositories/sessions';
import { documentBlocks, type TBlock } from '../../documents/blocks';
import { toDocx, toMarkdown, toPrintableHtml, type TExportFormat } from '../../documents/export';
import { paragraphLabels } from '../../documents/paragraph-labels';
import { can, type TNegotiationAction } from '../../policy';
import { sessionAnalytics, type TSessionAnalytics } from '../../session/analytics';
import { buildMinutes, minutesBlocks, type TMinutesFacts, type TMinutesTranslate } from '../../session/minutes';
import { MAX_MINUTES_LENGTH, minutesTitle, parseMinutesMarkdown } from '../../session/minutes-markdown';
import type { TRoomEvent } from '../../session/room/state';
import { DEFAULT_LOCALE } from '../../shared/i18n';
import { AppError } from '../../shared/errors';
import { ZId } from '../../shared/schemas';
import { authorizeInNegotiation, type TNegotiationAccess } from '../negotiations/authorize-in-negotiation';
import { parseInput } from '../parse-input';
import { readStoredDocument } from '../documents/read-document';
import { recordSessionEvent } from './record-event';
import { toRoomEvent } from './read-session-record';

/**
 * Who reads the minutes: the generated text is written in the catalogue's words of their language,
 * and the printable page declares it. Pages and routes pass the request's (minutes-reader.ts).
 */
export interface TMinutesReader {
  locale: string;
  translate: TMinutesTranslate;
}

const englishTranslator = createTranslator({ locale: DEFAULT_LOCALE, messages });
const ENGLISH_READER: TMinutesReader = {
  locale: DEFAULT_LOCALE,
  translate: (key, values) => (englishTranslator as unknown as TMinutesTranslate)(key, values),
};

/** M3: the Markdown the secretariat saves or publishes; strict, size-capped. */
const ZMinutesInput = z.strictObject({ markdown: z.string().max(MAX_MINUTES_LENGTH, 'too_long') });

async function sessionAccess(q: Queryable, user: TUser, sessionId: unknown, action: TNegotiationAction) {
  const id = ZId.safeParse(sessionId);
  const session = id.success ? await findSessionById(q, id.data) : undefined;
  if (!session) throw new AppError('not_found');
  const access = await authorizeInNegotiation(q, user, session.negotiationId, action);
  return { session, access };
}

/** What the log names by id, read from the database now (names, amendment wording, adopted texts, statuses). */
async function loadMinutesFacts(q: Queryable, session: TSessionRecord, access: TNegotiationAccess, events: readonly TRoomEvent[]): Promise<TMinutesFacts> {
  const negotiationId = session.negotiationId;
  const [delegations, memberships, documents] = await Promise.all([listDelegations(q, negotiationId), listMemberships(q, negotiationId), listDocuments(q, negotiationId)]);
  const titles = new Map(documents.map((document) => [document.id, document.title]));
  const mentioned = (type: string) => new Set(events.filter((event) => event.type === type).map((event) => String((event.payload as { documentId?: unknown }).documentId)));
  const amendments: TMinutesFacts['amendments'] = [];
  for (const documentId of new Set([...mentioned('amendment.proposed'), ...(await amendmentDocuments(q, events))])) {
    if (!titles.has(documentId)) continue;
    for (const amendment of await listAmendments(q, documentId)) {
      amendments.push({ id: amendment.id, documentId, documentTitle: titles.get(documentId) ?? '', pid: amendment.pid, kind: amendment.kind, originalText: amendment.originalText, proposedText: amendment.proposedText, delegationId: amendment.delegationId, sponsorIds: amendment.sponsors.map((sponsor) => sponsor.delegationId) });
    }
  }
  const adoptions: TMinutesFacts['adoptions'] = [];
  for (const documentId of mentioned('document.adopted')) {
    const adoption = titles.has(documentId) ? await findAdoption(q, documentId) : undefined;
    if (!adoption?.adoptedTextHash) continue;
    const doc = await readStoredDocument(q, documentId);
    const blocks = documentBlocks(doc);
    doc.destroy();
    const signatures = await listSignatures(q, documentId);
    adoptions.push({ documentId, title: titles.get(documentId) ?? '', textHash: adoption.adoptedTextHash, blocks, signatures: signatures.map(({ delegationId, signerName, signedAt }) => ({ delegationId, signerName, signedAt })) });
  }
  const paragraphs: TMinutesFacts['paragraphs'] = [];
  for (const documentId of mentioned('paragraph.status_changed')) {
    if (!titles.has(documentId)) continue;
    const statuses = await listParagraphStatuses(q, documentId);
    const doc = await readStoredDocument(q, documentId);
    for (const block of documentBlocks(doc)) if (block.pid && block.type !== 'heading') paragraphs.push({ documentId, pid: block.pid, status: statuses[block.pid] ?? 'pending' });
    doc.destroy();
  }
  // M9: paragraphs the minutes name — amended ones and those put to decision — by their label now.
  const questioned = events.flatMap((event) => {
    const subject = event.type === 'decision.opened' ? (event.payload as { subject: { kind: string; documentId?: string } }).subject : null;
    return subject && (subject.kind === 'paragraph' || subject.kind === 'amendment') && subject.documentId ? [subject.documentId] : [];
  });
  const labels: TMinutesFacts['labels'] = [];
  for (const documentId of new Set([...amendments.map((amendment) => amendment.documentId), ...questioned])) {
    if (!titles.has(documentId)) continue;
    const doc = await readStoredDocument(q, documentId);
    for (const [pid, label] of paragraphLabels(documentBlocks(doc))) labels.push({ documentId, pid, label });
    doc.destroy();
  }
  return {
    sessionTitle: session.title,
    negotiationTitle: access.negotiation.title,
    delegations: delegations.map((delegation) => ({ id: delegation.id, name: delegation.actorName, kind: delegation.actorKind, status: delegation.status })),
    people: memberships.map((membership) => ({ userId: membership.userId, name: membership.userName })),
    amendments,
    adoptions,
    paragraphs,
    labels,
  };
}

/** Documents whose amendments were decided in this session (proposed in an earlier one, perhaps). */
async function amendmentDocuments(q: Queryable, events: readonly TRoomEvent[]): Promise<string[]> {
  const decided = events.filter((event) => event.type === 'amendment.decided').map((event) => String((event.payload as { amendmentId: unknown }).amendmentId));
  if (decided.length === 0) return [];
  const rows = await q.all<{ documentId: string }>(`SELECT DISTINCT document_id AS "documentId" FROM amendments WHERE id IN (${decided.map(() => '?').join(', ')})`, decided);
  return rows.map((row) => row.documentId);
}

/** The generation's inputs and outputs for one session. */
async function generate(q: Queryable, session: TSessionRecord, access: TNegotiationAccess, translate: TMinutesTranslate) {
  const events = (await listSessionEvents(q, session.id)).map(toRoomEvent);
  const facts = await loadMinutesFacts(q, session, access, events);
  const minutes = buildMinutes(session.id, events);
  return { facts, markdown: toMarkdown(minutesBlocks(minutes, facts, translate)), analytics: sessionAnalytics(events, minutes, facts) };
}

export type TMinutesStatus = 'generated' | 'draft' | 'published';

export interface TSessionSummary {
  session: { id: string; title: string; status: TSessionRecord['status']; negotiationId: string; negotiationTitle: string };
  may: { edit: boolean; publish: boolean };
  minutes: {
    status: TMinutesStatus;
    /** The Markdown: the published minutes for everyone; the draft (or the generated text) for editors only. */
    markdown: string | null;
    blocks: TBlock[] | null;
    /** What the log generates now, for an editor to start again from (null for readers). */
    generated: string | null;
    updatedAt: number | null;
    publishedAt: number | null;
    publishedHash: string | null;
  };
  analytics: TSessionAnalytics;
  /** Names for the charts: delegation id → name. */
  delegationNames: Record<string, string>;
}

function statusOf(stored: TStoredMinutes | undefined): TMinutesStatus {
  if (!stored) return 'generated';
  return stored.publishedAt === null ? 'draft' : 'published';
}

/**
 * M1: the summary page's data. Every member with `minutes.read` sees the analytics and the
 * published minutes; the chair and secretariat (`minutes.edit`) also the draft or, before any, the
 * generated text. A session of a negotiation the user is not in is 404.
 */
export async function readSessionSummary(q: Queryable, user: TUser, sessionId: unknown, reader: TMinutesReader = ENGLISH_READER): Promise<TSessionSummary> {
  const { session, access } = await sessionAccess(q, user, sessionId, 'minutes.read');
  const resource = { kind: 'negotiation', negotiationId: session.negotiationId } as const;
  const may = { edit: can(access.actor, 'minutes.edit', resource), publish: can(access.actor, 'minutes.publish', resource) };
  const stored = await findMinutes(q, session.id);
  const { facts, markdown: generated, analytics } = await generate(q, session, access, reader.translate);
  const status = statusOf(stored);
  const visible = status === 'published' ? (stored?.markdown ?? null) : may.edit ? (stored?.markdown ?? generated) : null;
  return {
    session: { id: session.id, title: session.title, status: session.status, negotiationId: session.negotiationId, negotiationTitle: access.negotiation.title },
    may: { edit: may.edit && status !== 'published', publish: may.publish && status !== 'published' },
    minutes: {
      status,
      markdown: visible,
      blocks: visible === null ? null : parseMinutesMarkdown(visible),
      generated: may.edit && status !== 'published' ? generated : null,
      updatedAt: stored?.updatedAt ?? null,
      publishedAt: stored?.publishedAt ?? null,
      publishedHash: stored?.publishedHash ?? null,
    },
    analytics,
    delegationNames: Object.fromEntries(facts.delegations.map((delegation) => [delegation.id, delegation.name])),
  };
}

/** M3: the chair or secretariat saves the minutes' draft; published minutes are 409 and stay as they are. */
export async function saveMinutesDraft(db: Database, user: TUser, sessionId: unknown, input: unknown): Promise<{ updatedAt: number }> {
  const { markdown } = parseInput(ZMinutesInput, input);
  return db.transaction(async (tx) => {
    const { session } = await sessionAccess(tx, user, sessionId, 'minutes.edit');
    const at = Date.now();
    if (!(await writeMinutes(tx, { sessionId: session.id, markdown, userId: user.id, at, publishedHash: null }))) throw new AppError('invalid_transition');
    return { updatedAt: at };
  });
}

/** sha256 (hex) of the minutes' Markdown as UTF-8: what the log's `minutes.published` carries. */
export function minutesHash(markdown: string): string {
  return createHash('sha256').update(markdown, 'utf8').digest('hex');
}

/**
 * M4: the secretariat publishes the minutes of a closed session: the Markdown is stored, frozen,
 * and `minutes.published` with its sha256 is appended to the session's log in the same transaction.
 * A second publication, or one before the session is closed, is 409.
 */
export async function publishMinutes(db: Database, user: TUser, sessionId: unknown, input: unknown): Promise<{ publishedAt: number; textHash: string }> {
  const { markdown } = parseInput(ZMinutesInput, input);
  return db.transaction(async (tx) => {
    const { session, access } = await sessionAccess(tx, user, sessionId, 'minutes.publish');
    if (session.status !== 'closed') throw new AppError('invalid_transition');
    const at = Date.now();
    const textHash = minutesHash(markdown);
    if (!(await writeMinutes(tx, { sessionId: session.id, markdown, userId: user.id, at, publishedHash: textHash }))) throw new AppError('invalid_transition');
    await recordSessionEvent(tx, session.id, { user, membership: access.membership }, 'minutes.published', { textHash }, at);
    return { publishedAt: at, textHash };
  });
}

export interface TMinutesExport {
  body: string | Uint8Array;
  title: string;
}

/**
 * M5: the minutes as a file — the published ones for every reader; for the chair and secretariat
 * before publication, the draft (or the generated text). A reader before publication gets 404.
 * HTML and Word are made from the parsed blocks, so every text is escaped (T28).
 */
export async function exportMinutes(q: Queryable, user: TUser, sessionId: unknown, format: TExportFormat, reader: TMinutesReader = ENGLISH_READER): Promise<TMinutesExport> {
  const summary = await readSessionSummary(q, user, sessionId, reader);
  const { markdown, blocks } = summary.minutes;
  if (markdown === null || blocks === null) throw new AppError('not_found');
  const title = minutesTitle(blocks, summary.session.title);
  // The printable page and the Word file print the title themselves.
  const body = blocks[0]?.type === 'heading' ? blocks.slice(1) : blocks;
  if (format === 'md') return { body: markdown, title };
  if (format === 'html') return { body: toPrintableHtml(title, body, reader.locale), title };
  return { body: await toDocx(title, body), title };
}
