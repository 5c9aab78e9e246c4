/**
 * Every command the session room accepts, by type. Adding a type to SESSION_COMMAND_INPUTS
 * (lib/session/room/commands.ts) without a handler here fails the build; a later feature (decisions,
 * chat…) adds its own `…_COMMANDS` object beside these.
 */
import type { TSessionCommandType } from '../../../session/room/commands';
import { AGENDA_COMMANDS } from './agenda-commands';
import { CHAT_COMMANDS } from './chat-commands';
import type { TCommandHandler, TCommandHandlers } from './command-registry';
import { DECISION_COMMANDS } from './decision-commands';
import { FLOOR_COMMANDS } from './floor-commands';
import { LIFECYCLE_COMMANDS } from './lifecycle-commands';
import { POSITION_COMMANDS } from './position-commands';
import { SIDE_ROOM_COMMANDS } from './side-room-commands';
import { VIDEO_COMMANDS } from './video-commands';

export const SESSION_COMMAND_HANDLERS: TCommandHandlers<TSessionCommandType> = {
  ...LIFECYCLE_COMMANDS,
  ...AGENDA_COMMANDS,
  ...FLOOR_COMMANDS,
  ...DECISION_COMMANDS,
  ...CHAT_COMMANDS,
  ...POSITION_COMMANDS,
  ...VIDEO_COMMANDS,
  ...SIDE_ROOM_COMMANDS,
};

/** The handler of a command type, typed loosely for the pipeline, which has checked the input. */
export function commandHandler(type: TSessionCommandType): TCommandHandler<TSessionCommandType> {
  return SESSION_COMMAND_HANDLERS[type] as TCommandHandler<TSessionCommandType>;
}
