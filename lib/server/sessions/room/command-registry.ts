/**
 * How a feature plugs its commands into the session room's one pipeline. A command type is declared
 * once in lib/session/room/commands.ts (its input schema, shared with browsers); here it gets the
 * policy action its sender needs and a `decide` that turns (state, sender, input) into events or a
 * refusal. The pipeline (server/sessions/live-session-room.ts) does the rest for every command
 * alike: validate, deduplicate, authorize, append in one transaction, apply, broadcast, acknowledge.
 */
import type { Queryable } from '../../../db';
import type { TMembership } from '../../../db/repositories/negotiations';
import type { TNegotiationAction } from '../../../policy';
import type { TSessionCommandInput, TSessionCommandType, TCommandResult, TRoomRefusal } from '../../../session/room/commands';
import type { TSessionRoomState } from '../../../session/room/state';
import type { TDelegationStatus, TRole, TSessionStatus } from '../../../shared/domain';
import type { TProposedEvent } from '../record-event';

/** The sender of a command, as the database says now (never as the client says). */
export interface TRoomActor {
  userId: string;
  role: TRole;
  delegationId: string | null;
  delegationStatus: TDelegationStatus | null;
  membership: TMembership;
}

export interface TCommandContext {
  /** The pipeline's transaction: reads see the log's head, which nobody else can move until commit. */
  tx: Queryable;
  /** The room folded up to the log's head. */
  state: TSessionRoomState;
  actor: TRoomActor;
  session: { id: string; negotiationId: string };
  /** Server time of the command; every event it appends carries it. */
  now: number;
  /** A fresh opaque id for what the command creates. */
  newId: () => string;
}

export type TDecision =
  | {
      ok: true;
      events: TProposedEvent[];
      result?: TCommandResult;
      /** Writes beside the log that must commit with the events (a status column, a ballot row). */
      alsoInTransaction?: (tx: Queryable) => Promise<void>;
    }
  | { ok: false; error: TRoomRefusal };

/** What the server decides on its own (a deadline): the same context without a sender. */
export type TServerContext = Omit<TCommandContext, 'actor'>;

export interface TCommandHandler<Type extends TSessionCommandType> {
  /** The policy action the sender's role must have (lib/policy). */
  action: TNegotiationAction;
  /** Checks the command against the room and returns its events; must not write (the pipeline does). */
  decide(context: TCommandContext, input: TSessionCommandInput<Type>): TDecision | Promise<TDecision>;
  /**
   * What a retry is recognized by (S20), when not the whole input: the stored hash of a command
   * must not let anyone recover what it must keep secret (a secret ballot's choice, T38).
   */
  retryFingerprint?(input: TSessionCommandInput<Type>): unknown;
}

/** Handlers for a set of command types; the full set is checked against the catalogue at compile time. */
export type TCommandHandlers<Types extends TSessionCommandType> = { [Type in Types]: TCommandHandler<Type> };

/** S6, S53: observers are observer-role members and anyone of an observer delegation. */
export function isObserver(actor: TRoomActor): boolean {
  return actor.role === 'observer' || actor.delegationStatus === 'observer';
}

/** A command accepted with these events. */
export function accept(events: TProposedEvent[], result?: TCommandResult): TDecision {
  return { ok: true, events, result };
}

/** A command refused: nothing is stored or broadcast. */
export function refuse(error: TRoomRefusal): TDecision {
  return { ok: false, error };
}

/**
 * S4: which statuses a kind of command needs. `live` commands (the floor) wait for the session to be
 * open; `open` ones (agenda, settings) may prepare a scheduled or suspended session; nothing changes a
 * closed or cancelled one. Returns the refusal, or null when the status allows the command.
 */
export function statusRefusal(status: TSessionStatus, needs: 'live' | 'open'): TRoomRefusal | null {
  if (status === 'closed') return 'session_closed';
  if (status === 'cancelled') return 'session_cancelled';
  if (needs === 'live' && status !== 'live') return 'not_live';
  return null;
}
