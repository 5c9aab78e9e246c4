import type { Queryable } from '../driver';

/** A command a client sent to a session room, kept so that a retry gets the same acknowledgement. */
export interface TSessionCommandRecord {
  sessionId: string;
  userId: string;
  clientMsgId: string;
  commandType: string;
  commandHash: string;
  ack: unknown;
  at: number;
}

/** The command this user sent to this session under `clientMsgId`, if any. */
export async function findSessionCommand(
  q: Queryable,
  sessionId: string,
  userId: string,
  clientMsgId: string,
): Promise<TSessionCommandRecord | undefined> {
  const row = await q.get<Omit<TSessionCommandRecord, 'ack'> & { ack: string }>(
    `SELECT session_id AS "sessionId", user_id AS "userId", client_msg_id AS "clientMsgId", command_type AS "commandType",
       command_hash AS "commandHash", ack, at
     FROM session_commands WHERE session_id = ? AND user_id = ? AND client_msg_id = ?`,
    [sessionId, userId, clientMsgId],
  );
  return row && { ...row, at: Number(row.at), ack: JSON.parse(row.ack) as unknown };
}

/** Remembers an accepted command with its acknowledgement (in the transaction that appended its events). */
export async function insertSessionCommand(q: Queryable, command: TSessionCommandRecord): Promise<void> {
  await q.run(
    `INSERT INTO session_commands (session_id, user_id, client_msg_id, command_type, command_hash, ack, at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [command.sessionId, command.userId, command.clientMsgId, command.commandType, command.commandHash, JSON.stringify(command.ack), command.at],
  );
}
