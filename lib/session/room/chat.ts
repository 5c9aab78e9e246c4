/**
 * The session's chat (docs/PROTOCOL.md S50–S61): channels, messages, consultations between two
 * delegations, and the rules every side applies the same way — the length cap, the sending rate,
 * and how `@` mentions of delegations are found in a message. Runs anywhere: the server resolves
 * mentions with it, browsers highlight them with it.
 */
import { z } from 'zod';

/** The longest message, in characters (after line endings are normalized and the ends trimmed). */
export const MAX_MESSAGE_LENGTH = 2_000;
/** S55: at most this many messages per person… */
export const MESSAGES_PER_WINDOW = 5;
/** …within this many milliseconds, over every channel together. */
export const MESSAGE_WINDOW_MS = 10_000;
/** The room keeps the newest messages of each channel; the log keeps them all. */
export const MAX_MESSAGES_PER_CHANNEL = 500;

export type TChatChannel =
  | { kind: 'plenary' }
  | { kind: 'delegation'; delegationId: string }
  /** Both delegations are named, so the event alone says who may read it. */
  | { kind: 'consultation'; consultationId: string; delegationIds: [string, string] };

export const ZChatChannel: z.ZodType<TChatChannel> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('plenary') }),
  z.strictObject({ kind: z.literal('delegation'), delegationId: z.string() }),
  z.strictObject({ kind: z.literal('consultation'), consultationId: z.string(), delegationIds: z.tuple([z.string(), z.string()]) }),
]);

export interface TChatMessage {
  messageId: string;
  /** The log entry that carries the message: its text is stored beside the log under this seq. */
  seq: number;
  channel: TChatChannel;
  userId: string | null;
  delegationId: string | null;
  at: number;
  /** Null once the chair deleted the message (or, in a replay, when it was deleted later). */
  text: string | null;
  /** Delegations the server found mentioned (`@` + name), by id. */
  mentions: string[];
  deleted: { by: string | null; at: number } | null;
}

export const CONSULTATION_STATUSES = ['requested', 'open', 'declined', 'closed'] as const;
export type TConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/** A channel between two delegations: requested by one head, accepted (or declined) by the other's. */
export interface TConsultation {
  consultationId: string;
  /** [requesting delegation, invited delegation]. */
  delegationIds: [string, string];
  status: TConsultationStatus;
  requestedBy: string | null;
  requestedAt: number;
  /** When the status last changed, and by whom. */
  changedAt: number;
  changedBy: string | null;
}

/** Whether a channel is one the delegation takes part in (the plenary: everyone's). */
export function channelIncludes(channel: TChatChannel, delegationId: string | null): boolean {
  if (channel.kind === 'plenary') return true;
  if (delegationId === null) return false;
  return channel.kind === 'delegation' ? channel.delegationId === delegationId : channel.delegationIds.includes(delegationId);
}

/** Two channels are the same conversation. */
export function sameChannel(a: TChatChannel, b: TChatChannel): boolean {
  if (a.kind === 'plenary' || b.kind === 'plenary') return a.kind === b.kind;
  if (a.kind === 'delegation') return b.kind === 'delegation' && a.delegationId === b.delegationId;
  return b.kind === 'consultation' && a.consultationId === b.consultationId;
}

/** The consultation between two delegations that is still requested or open, if any. */
export function activeConsultation(consultations: readonly TConsultation[], a: string, b: string): TConsultation | undefined {
  return consultations.find(
    (consultation) => (consultation.status === 'requested' || consultation.status === 'open') && consultation.delegationIds.includes(a) && consultation.delegationIds.includes(b),
  );
}

/** The other delegation of a consultation. */
export function partnerIn(consultation: TConsultation, delegationId: string): string {
  return consultation.delegationIds[0] === delegationId ? consultation.delegationIds[1] : consultation.delegationIds[0];
}

/** S55: whether a person has used up their messages at `now` (deleted ones count: they were sent). */
export function overMessageRate(messages: readonly TChatMessage[], userId: string, now: number): boolean {
  let recent = 0;
  for (const message of messages) if (message.userId === userId && message.at > now - MESSAGE_WINDOW_MS) recent += 1;
  return recent >= MESSAGES_PER_WINDOW;
}

export interface TMention {
  /** Index of the `@` in the text, and the end of the name (exclusive). */
  start: number;
  end: number;
  delegationId: string;
}

const WORD = /[\p{L}\p{N}_]/u;

/**
 * S57: the delegations a text mentions as `@` + their name (case-insensitive, the longest name
 * that fits, so `@São Paulo` is not `@São`), where the name ends at a word boundary. Names come
 * from the negotiation's delegations, never from the text; an `@` inside a word (an e-mail
 * address) is not a mention.
 */
export function findMentions(text: string, delegations: readonly { delegationId: string; name: string }[]): TMention[] {
  const names = delegations
    .map((delegation) => ({ delegationId: delegation.delegationId, name: delegation.name.normalize('NFC').toLocaleLowerCase('und') }))
    .filter((delegation) => delegation.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length);
  const lower = text.normalize('NFC').toLocaleLowerCase('und');
  // Lower-casing can change a string's length (rare letters); positions then stop being the text's.
  if (lower.length !== text.length) return [];
  const mentions: TMention[] = [];
  for (let at = lower.indexOf('@'); at >= 0; at = lower.indexOf('@', at + 1)) {
    if (at > 0 && WORD.test(lower[at - 1] ?? '')) continue;
    const found = names.find(({ name }) => lower.startsWith(name, at + 1) && !WORD.test(lower[at + 1 + name.length] ?? ''));
    if (found) mentions.push({ start: at, end: at + 1 + found.name.length, delegationId: found.delegationId });
  }
  return mentions;
}

/** The distinct delegations a text mentions, in order of first mention. */
export function mentionedDelegations(text: string, delegations: readonly { delegationId: string; name: string }[]): string[] {
  return [...new Set(findMentions(text, delegations).map((mention) => mention.delegationId))];
}
