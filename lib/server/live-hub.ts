import type { Queryable } from '../db';
import type { TParagraphChange } from '../documents/paragraph-edit';
import type { TRole } from '../shared/domain';

/** Who makes a server-side change to a document, as its log records it. */
export interface TChangeAuthor {
  userId: string;
  delegationId: string | null;
  role: TRole | null;
}

/**
 * How domain code tells open socket connections that something changed. The composed server
 * installs the real hub at start; the Next.js bundle reaches it through globalThis because the two
 * are separate module graphs in one process. Without a server (unit tests, scripts) nothing is open,
 * so the default hub does nothing.
 */
export interface TLiveHub {
  /** Closes every open connection of a user (sign-out everywhere, account disabled). */
  disconnectUser(userId: string, reason: string): void;
  /** Closes every open connection opened with one sign-in (that browser signed out, H12). */
  disconnectSignIn(signInId: string): void;
  /** A user's role or delegation in a negotiation changed: re-evaluate their rooms now. */
  membershipChanged(negotiationId: string, userId: string): void;
  /** A document's drafting mode changed: re-evaluate everyone who has it open. */
  documentModeChanged(documentId: string): void;
  /** A paragraph's status changed: tell everyone who has the document open. */
  paragraphStatusChanged(documentId: string, pid: string, status: string): void;
  /** Amendments of a document changed: open editors refresh their list. */
  amendmentsChanged(documentId: string): void;
  /** Comments of a document changed: open editors refetch the ones they may see. */
  commentsChanged(documentId: string): void;
  /** Brackets of a document changed: open editors refetch them. */
  bracketsChanged(documentId: string): void;
  /** Events were appended to a session's log outside its room (a page, an HTTP route): the room folds and shows them. */
  sessionLogChanged(sessionId: string): void;
  /** Events were appended to the logs of a negotiation's open sessions (accreditation, quorum rule). */
  negotiationSessionsChanged(negotiationId: string): void;
  /**
   * Applies a change to the live document as the server (an accepted amendment), storing it in one
   * transaction with `alsoInTransaction`. Resolves with the update's seq, or null when the paragraph
   * no longer exists. Needs the running server.
   */
  applyDocumentChange(
    document: { id: string; negotiationId: string; baseText: string },
    change: TParagraphChange,
    author: TChangeAuthor,
    alsoInTransaction: (tx: Queryable, seq: number) => Promise<void>,
  ): Promise<number | null>;
}

const registry = globalThis as typeof globalThis & { __proxeniaLiveHub?: TLiveHub };

const idleHub: TLiveHub = {
  disconnectUser: () => undefined,
  disconnectSignIn: () => undefined,
  membershipChanged: () => undefined,
  documentModeChanged: () => undefined,
  paragraphStatusChanged: () => undefined,
  amendmentsChanged: () => undefined,
  commentsChanged: () => undefined,
  bracketsChanged: () => undefined,
  sessionLogChanged: () => undefined,
  negotiationSessionsChanged: () => undefined,
  applyDocumentChange: () => Promise.reject(new Error('no live document service runs in this process')),
};

/** Installs the hub of the running socket server. */
export function installLiveHub(hub: TLiveHub): void {
  registry.__proxeniaLiveHub = hub;
}

/** The hub to notify; a no-op when no socket server runs in this process. */
export function liveHub(): TLiveHub {
  return registry.__proxeniaLiveHub ?? idleHub;
}
