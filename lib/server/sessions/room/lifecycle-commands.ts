/** Session lifecycle from the room (S2): the chair opens or cancels, suspends, resumes and closes. */
import { updateSessionStatus } from '../../../db/repositories/sessions';
import { sessionTransitionEvents } from '../session-transition';
import { refuse, type TCommandHandlers } from './command-registry';

export const LIFECYCLE_COMMANDS: TCommandHandlers<'session.set_status'> = {
  'session.set_status': {
    action: 'session.control',
    async decide({ tx, state, session }, { status, reason }) {
      const events = await sessionTransitionEvents(tx, { ...session, status: state.status }, status, reason);
      if (!events) return refuse('invalid_transition');
      return { ok: true, events, alsoInTransaction: (write) => updateSessionStatus(write, session.id, status) };
    },
  },
};
