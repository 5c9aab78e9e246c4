/**
 * One session's room in server memory, and the one pipeline every change to it goes through
 * (docs/PROTOCOL.md S1, S20–S22):
 *
 *   decode → validate → deduplicate → authorize → decide → append (one transaction) → apply →
 *   broadcast → acknowledge
 *
 * Work on a room runs one piece at a time (a promise chain), and each transaction first locks the
 * log's head and folds whatever others appended meanwhile (a page's button, an edit in a document),
 * so a command is always decided against the whole log. Commands that arrive while a transaction
 * runs are decided together in the next one, each against the room the ones before it left (S90:
 * one commit for a burst of ballots instead of one per ballot). Memory only ever takes events that
 * are committed: a failed transaction leaves the room as it was.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../lib/db';
import { findMembership } from '../../lib/db/repositories/negotiations';
import { findSessionCommand, insertSessionCommand } from '../../lib/db/repositories/session-commands';
import { listSessionEvents, lockSessionHead, type TSessionEvent } from '../../lib/db/repositories/sessions';
import { explain } from '../../lib/policy';
import { actorFor } from '../../lib/server/negotiations/authorize-in-negotiation';
import { log } from '../../lib/server/log';
import type { TDecision, TRoomActor, TServerContext } from '../../lib/server/sessions/room/command-registry';
import { commandHandler } from '../../lib/server/sessions/room/commands';
import { negotiationRecordEvents } from '../../lib/server/sessions/room/negotiation-records';
import { proposeEvent, recordSessionEvents, type TEventAuthor, type TProposedEvent } from '../../lib/server/sessions/record-event';
import { rosterEvent } from '../../lib/server/sessions/session-transition';
import { isSessionCommandType, SESSION_COMMAND_INPUTS, type TCommandAck, type TRoomRefusal, type TSessionCommandInput, type TSessionCommandType } from '../../lib/session/room/commands';
import { foldSessionRoom } from '../../lib/session/room/reduce';
import type { TSessionRoomState } from '../../lib/session/room/state';
import { canonicalJson } from '../../lib/shared/canonical-json';
import type { TAccountRole } from '../../lib/shared/domain';
import { sessionIsOver } from '../../lib/shared/domain';

/** Who sends a command: the authenticated connection's user (the socket layer knows no more). */
export interface TRoomSender {
  userId: string;
  accountRole: TAccountRole;
}

/** A command as it arrived, after its envelope was checked. */
export interface TRoomCommand {
  clientMsgId: string;
  type: string;
  input: unknown;
}

/** Receives the events the room has just applied, in seq order, with the room they made, to broadcast them. */
export type TPublishEvents = (events: readonly TSessionEvent[], state: TSessionRoomState) => void;

interface TTransactionOutcome<T> {
  appended: TSessionEvent[];
  value: T;
}

/** A command waiting for the room's next batch, checked as far as it can be without the log. */
interface TQueuedCommand {
  kind: 'command';
  sender: TRoomSender;
  type: TSessionCommandType;
  clientMsgId: string;
  input: TSessionCommandInput<TSessionCommandType>;
  handler: ReturnType<typeof commandHandler>;
  commandHash: string;
  settle: (ack: TCommandAck) => void;
}

/** A person's first connection to the room arrived, or their last one closed (S18); settled with an `internal` refusal when it could not be recorded. */
interface TQueuedPresence {
  kind: 'presence';
  userId: string;
  change: 'joined' | 'left';
  settle: (ack: TCommandAck) => void;
}

/** Work waiting for the room's next batch (S90), in arrival order. */
type TQueuedWork = TQueuedCommand | TQueuedPresence;

/** One command's outcome inside a batch: its acknowledgement and the events it appended (none when refused). */
interface TDecided {
  ack: TCommandAck;
  events: TSessionEvent[];
}

const SYSTEM: TEventAuthor = { user: null, membership: undefined };

const refusal = (error: TRoomRefusal): TCommandAck => ({ ok: false, error });

export class LiveSessionRoom {
  private current: TSessionRoomState;
  private tail: Promise<unknown> = Promise.resolve();
  /** Commands and presence changes waiting for the next batch (S90), in arrival order. */
  private queued: TQueuedWork[] = [];

  private constructor(
    private readonly db: Database,
    readonly session: { id: string; negotiationId: string },
    state: TSessionRoomState,
    private readonly publish: TPublishEvents,
  ) {
    this.current = state;
  }

  /** Loads a room from its log and settles what a restart left behind (S19). */
  static async open(db: Database, session: { id: string; negotiationId: string }, publish: TPublishEvents): Promise<LiveSessionRoom> {
    const room = new LiveSessionRoom(db, session, foldSessionRoom(session.id, await listSessionEvents(db, session.id)), publish);
    await room.settleAfterLoad();
    await room.syncNegotiationRecords();
    return room;
  }

  /** The room as every committed event up to `state.seq` made it. */
  get state(): TSessionRoomState {
    return this.current;
  }

  /** Runs `work` after everything queued before it, whatever became of that. */
  serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * One transaction on the room: lock the log's head, fold what others appended since this room last
   * looked, run `work` against that state, commit; then apply everything to memory and publish it.
   */
  private transact<T>(work: (tx: Queryable, state: TSessionRoomState) => Promise<TTransactionOutcome<T>>): Promise<T> {
    return this.serialize(async () => {
      const { caughtUp, appended, value } = await this.db.transaction(async (tx) => {
        await lockSessionHead(tx, this.session.id);
        const caughtUp = await listSessionEvents(tx, this.session.id, this.current.seq);
        const outcome = await work(tx, foldSessionRoom(this.session.id, caughtUp, this.current));
        return { caughtUp, ...outcome };
      });
      this.apply([...caughtUp, ...appended]);
      return value;
    });
  }

  private apply(events: readonly TSessionEvent[]): void {
    const fresh = events.filter((event) => event.seq > this.current.seq);
    if (!fresh.length) return;
    this.current = foldSessionRoom(this.session.id, fresh, this.current);
    this.publish(fresh, this.current);
  }

  /** Folds and publishes what others appended to the log (S22). */
  catchUp(): Promise<void> {
    return this.transact(async () => ({ appended: [], value: undefined }));
  }

  /**
   * S19: after a restart nobody is connected, whatever the log says. A session without a quorum
   * roster gets one now (S17), so the room counts against the delegations of this moment; later
   * accreditations and rule changes reach every open session's log as events.
   */
  private settleAfterLoad(): Promise<void> {
    return this.transact(async (tx, state) => {
      if (sessionIsOver(state.status)) return { appended: [], value: undefined };
      const events: TProposedEvent[] = state.attendance.present.map((person) =>
        proposeEvent('attendance.left', { userId: person.userId, reason: 'server_restart' }),
      );
      if (!state.attendance.rosterRecorded) events.push(await rosterEvent(tx, this.session.negotiationId));
      return { appended: await recordSessionEvents(tx, this.session.id, SYSTEM, events, Date.now()), value: undefined };
    });
  }

  /**
   * A change the server decides on its own (a silence procedure reaching its deadline, S40): decided
   * against the room at the log's head like a command, recorded in nobody's name. Resolves with
   * whether it appended anything.
   */
  decideAsServer(decide: (context: TServerContext) => TDecision | Promise<TDecision>): Promise<boolean> {
    return this.transact(async (tx, state) => {
      const now = Date.now();
      const decision = await decide({ tx, state, session: this.session, now, newId: randomUUID });
      if (!decision.ok || decision.events.length === 0) return { appended: [], value: false };
      const appended = await recordSessionEvents(tx, this.session.id, SYSTEM, decision.events, now);
      await decision.alsoInTransaction?.(tx);
      return { appended, value: true };
    });
  }

  /**
   * S68: brings in the positions and notes stated since this log last saw them — in an earlier
   * session (when the room loads), or in another room of the negotiation open meanwhile.
   */
  syncNegotiationRecords(): Promise<void> {
    return this.transact(async (tx, state) => {
      if (sessionIsOver(state.status)) return { appended: [], value: undefined };
      const events = await negotiationRecordEvents(tx, this.session.negotiationId, state);
      return { appended: await recordSessionEvents(tx, this.session.id, SYSTEM, events, Date.now()), value: undefined };
    });
  }

  /**
   * S18: a person's first connection to the room arrived (`joined`) or their last one closed. Their
   * delegation and role come from the database at that moment. A closed session's record is final.
   */
  recordPresence(userId: string, change: 'joined' | 'left'): Promise<void> {
    // Queued with the commands (S90): a crowd arriving at once is recorded in a few transactions and
    // reaches everyone in a few messages, not one transaction and one message per person.
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'presence', userId, change, settle: (ack) => (ack.ok ? resolve() : reject(new Error(`presence not recorded: ${ack.error}`))) }),
    );
  }

  /** S18: the attendance event a presence change makes against `state`, if any. */
  private async decidePresence(tx: Queryable, state: TSessionRoomState, work: TQueuedPresence): Promise<TDecided> {
    const { userId, change } = work;
    const unchanged: TDecided = { ack: { ok: true, seq: state.seq }, events: [] };
    if (sessionIsOver(state.status)) return unchanged;
    const present = state.attendance.present.find((person) => person.userId === userId);
    if (change === 'left') {
      if (!present) return unchanged;
      const event = proposeEvent('attendance.left', { userId, reason: 'disconnected' });
      return this.recorded(await recordSessionEvents(tx, this.session.id, { user: { id: userId }, membership: undefined }, [event], Date.now()));
    }
    const membership = await findMembership(tx, this.session.negotiationId, userId);
    if (!membership || (present && present.role === membership.role && present.delegationId === membership.delegationId)) return unchanged;
    const event = proposeEvent('attendance.joined', { userId, delegationId: membership.delegationId, role: membership.role });
    return this.recorded(await recordSessionEvents(tx, this.session.id, { user: { id: userId }, membership }, [event], Date.now()));
  }

  private recorded(events: TSessionEvent[]): TDecided {
    return { ack: { ok: true, seq: events.at(-1)?.seq ?? this.current.seq }, events };
  }

  /** Puts work in the queue of the room's next batch (S90), scheduling that batch when it is the first. */
  private enqueue(work: TQueuedWork): void {
    this.queued.push(work);
    if (this.queued.length === 1) void this.serialize(() => this.decideQueued());
  }

  /**
   * Runs one command through the pipeline and resolves with its acknowledgement. Never throws.
   * S90: commands that arrive while the room is busy wait in `queued`, and are then decided one after
   * another in one transaction (group commit, see decideQueued).
   */
  submit(sender: TRoomSender, command: TRoomCommand): Promise<TCommandAck> {
    const { type, clientMsgId } = command;
    if (!isSessionCommandType(type)) return Promise.resolve(this.refused(sender, type, 'invalid_input'));
    const parsed = SESSION_COMMAND_INPUTS[type].safeParse(command.input);
    if (!parsed.success) return Promise.resolve(this.refused(sender, type, 'invalid_input'));
    const handler = commandHandler(type);
    const fingerprint = handler.retryFingerprint ? handler.retryFingerprint(parsed.data) : parsed.data;
    const commandHash = createHash('sha256').update(canonicalJson({ type, input: fingerprint })).digest('hex');
    return new Promise((settle) => this.enqueue({ kind: 'command', sender, type, clientMsgId, input: parsed.data, handler, commandHash, settle }));
  }

  /**
   * S90: every command and presence change queued so far, in arrival order, in ONE transaction: each
   * decided against the room as the work before it in the batch left it, each in a savepoint of its own (its refusal,
   * or its failure, writes nothing and touches no other command), one commit — one disk flush for the
   * whole burst — then applied, broadcast and acknowledged in order, once durable.
   */
  private async decideQueued(): Promise<void> {
    // What arrives in this turn of the event loop joins the batch (as co-drafting's group commit does).
    await new Promise((resolve) => setImmediate(resolve));
    const batch = this.queued;
    this.queued = [];
    let acks: TCommandAck[];
    try {
      const outcome = await this.db.transaction(async (tx) => {
        await lockSessionHead(tx, this.session.id);
        const caughtUp = await listSessionEvents(tx, this.session.id, this.current.seq);
        let state = foldSessionRoom(this.session.id, caughtUp, this.current);
        const appended: TSessionEvent[] = [];
        const decided: TCommandAck[] = [];
        for (const work of batch) {
          const { ack, events } = await this.inSavepoint(tx, work, () => (work.kind === 'command' ? this.decideOne(tx, state, work) : this.decidePresence(tx, state, work)));
          state = foldSessionRoom(this.session.id, events, state);
          appended.push(...events);
          decided.push(ack);
        }
        return { caughtUp, appended, decided };
      });
      this.apply([...outcome.caughtUp, ...outcome.appended]);
      acks = outcome.decided;
    } catch (error) {
      // Nothing was committed, so nothing was applied or broadcast: the clients may retry.
      log.error('room.batch_failed', { sessionId: this.session.id, commands: batch.length, error });
      acks = batch.map(() => refusal('internal'));
    }
    batch.forEach((work, index) => {
      const ack = acks[index] ?? refusal('internal');
      if (!ack.ok && work.kind === 'command') log.info('room.refused', { sessionId: this.session.id, userId: work.sender.userId, type: work.type, error: ack.error });
      work.settle(ack);
    });
  }

  /** Runs one command's part of a batch so that, should it throw, what it wrote is undone and the batch goes on. */
  private async inSavepoint(tx: Queryable, queued: TQueuedWork, work: () => Promise<TDecided>): Promise<TDecided> {
    await tx.exec('SAVEPOINT room_command');
    try {
      const decided = await work();
      await tx.exec('RELEASE SAVEPOINT room_command');
      return decided;
    } catch (error) {
      await tx.exec('ROLLBACK TO SAVEPOINT room_command');
      await tx.exec('RELEASE SAVEPOINT room_command');
      const about = queued.kind === 'command' ? { userId: queued.sender.userId, type: queued.type } : { userId: queued.userId, type: `presence.${queued.change}` };
      log.error('room.command_failed', { sessionId: this.session.id, ...about, error });
      return { ack: refusal('internal'), events: [] };
    }
  }

  /** S20, S21: deduplicate, authorize, decide and append one command, against `state`. */
  private async decideOne(tx: Queryable, state: TSessionRoomState, command: TQueuedCommand): Promise<TDecided> {
    const { sender, type, clientMsgId, handler, commandHash } = command;
    const refused = (error: TRoomRefusal): TDecided => ({ ack: refusal(error), events: [] });
    // S20: a retry finds its first acknowledgement and changes nothing (even one earlier in this batch).
    const stored = await findSessionCommand(tx, this.session.id, sender.userId, clientMsgId);
    if (stored) return stored.commandHash === commandHash ? { ack: stored.ack as TCommandAck, events: [] } : refused('client_msg_id_reused');
    // Authorize with the membership as it is now, not as it was when the socket joined (T39).
    const membership = await findMembership(tx, this.session.negotiationId, sender.userId);
    const resource = { kind: 'negotiation', negotiationId: this.session.negotiationId } as const;
    if (!membership || !explain(actorFor({ id: sender.userId, accountRole: sender.accountRole }, membership), handler.action, resource).allowed) {
      return refused('forbidden');
    }
    const actor: TRoomActor = {
      userId: sender.userId,
      role: membership.role,
      delegationId: membership.delegationId,
      delegationStatus: membership.delegationStatus,
      membership,
    };
    const now = Date.now();
    const decision = await handler.decide({ tx, state, actor, session: this.session, now, newId: randomUUID }, command.input);
    if (!decision.ok) return refused(decision.error);
    const events = await recordSessionEvents(tx, this.session.id, { user: { id: sender.userId }, membership }, decision.events, now);
    await decision.alsoInTransaction?.(tx);
    const last = events.at(-1);
    if (!last) throw new Error(`command ${type} accepted without events`);
    const accepted: TCommandAck = decision.result ? { ok: true, seq: last.seq, result: decision.result } : { ok: true, seq: last.seq };
    await insertSessionCommand(tx, { sessionId: this.session.id, userId: sender.userId, clientMsgId, commandType: type, commandHash, ack: accepted, at: now });
    return { ack: accepted, events };
  }

  private refused(sender: TRoomSender, type: string, error: TRoomRefusal): TCommandAck {
    log.info('room.refused', { sessionId: this.session.id, userId: sender.userId, type: type.slice(0, 64), error });
    return refusal(error);
  }
}
