/**
 * What the server does about decisions without anyone asking (docs/PROTOCOL.md S40, S41): it closes
 * a silence procedure at its deadline, and carries an adopted outcome into the text. It follows
 * every room it is shown (after each change, and when a room loads), and at start it loads the
 * rooms whose questions may still need it, so a restart neither forgets a deadline nor leaves an
 * outcome half done. Both jobs are safe to repeat: the room decides the close against its log, and
 * the outcome is recorded once by the database.
 */
import type { Database } from '../../lib/db';
import { listSessionsWithQuestions } from '../../lib/db/repositories/decisions';
import { log } from '../../lib/server/log';
import { carryOutDecision } from '../../lib/server/sessions/decision-outcome';
import { closeAtDeadline } from '../../lib/server/sessions/room/decision-commands';
import type { TSessionRoomState } from '../../lib/session/room/state';
import type { LiveSessionRoom } from './live-session-room';

type TSession = { id: string; negotiationId: string };

/** After a fault (the database unreachable), how long before carrying out an outcome again. */
const RETRY_AFTER_MS = 5_000;
const MAX_ATTEMPTS = 5;

export class DecisionKeeper {
  /** Deadline timers by question. */
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  /** Questions whose outcome is being carried out now, with the attempts so far. */
  private readonly carrying = new Map<string, number>();

  constructor(
    private readonly db: Database,
    /** The room of a session, loaded when it is not in memory. */
    private readonly roomOf: (session: TSession) => Promise<LiveSessionRoom>,
  ) {}

  /** Loads every room with questions that may still need the server (after a start). */
  async resume(): Promise<void> {
    for (const session of await listSessionsWithQuestions(this.db)) {
      await this.roomOf(session).catch((error: unknown) => log.error('decisions.resume_failed', { sessionId: session.id, error }));
    }
  }

  /** Looks at a room as it is now: deadlines to keep, outcomes to carry out. */
  follow(session: TSession, state: TSessionRoomState): void {
    for (const question of state.decisions.questions) {
      if (question.status === 'open' && question.deadline !== null && !this.deadlines.has(question.decisionId)) {
        this.keepDeadline(session, question.decisionId, question.deadline);
      }
      if (question.application?.status === 'pending' && !this.carrying.has(question.decisionId)) {
        this.carrying.set(question.decisionId, 0);
        void this.carryOut(session, question.decisionId);
      }
    }
  }

  /** A silence procedure lasts a week at most (S31), well within one timer's range. */
  private keepDeadline(session: TSession, decisionId: string, deadline: number): void {
    const timer = setTimeout(() => {
      this.deadlines.delete(decisionId);
      void this.roomOf(session)
        .then((room) => room.decideAsServer((context) => closeAtDeadline(context, decisionId)))
        .catch((error: unknown) => {
          // The room will be looked at again when it next loads or changes; until then, try again soon.
          log.error('decisions.deadline_failed', { sessionId: session.id, decisionId, error });
          this.keepDeadline(session, decisionId, Date.now() + RETRY_AFTER_MS);
        });
    }, Math.max(0, deadline - Date.now()));
    timer.unref();
    this.deadlines.set(decisionId, timer);
  }

  private async carryOut(session: TSession, decisionId: string): Promise<void> {
    const attempts = (this.carrying.get(decisionId) ?? 0) + 1;
    this.carrying.set(decisionId, attempts);
    try {
      const room = await this.roomOf(session);
      const question = room.state.decisions.questions.find((candidate) => candidate.decisionId === decisionId);
      if (question?.application?.status === 'pending') {
        await carryOutDecision(this.db, session, question);
        // The outcome's event was appended beside the room: fold and publish it (S22).
        await room.catchUp();
      }
      this.carrying.delete(decisionId);
    } catch (error) {
      log.error('decisions.outcome_failed', { sessionId: session.id, decisionId, attempts, error });
      if (attempts >= MAX_ATTEMPTS) {
        // Left pending: the next load of the room (at the latest, the next start) tries again.
        this.carrying.delete(decisionId);
        return;
      }
      setTimeout(() => void this.carryOut(session, decisionId), RETRY_AFTER_MS).unref();
    }
  }
}
