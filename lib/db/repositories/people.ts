import type { TAccountRole, TActorKind } from '../../shared/domain';
import type { Queryable } from '../driver';

export interface TUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  accountRole: TAccountRole;
  disabledAt: number | null;
  sessionsValidAfter: number;
  /** The interface language the person chose; null until they choose one. */
  locale: string | null;
  createdAt: number;
}

const USER_COLUMNS = `id, email, name, password_hash AS "passwordHash", account_role AS "accountRole",
  disabled_at AS "disabledAt", sessions_valid_after AS "sessionsValidAfter", locale, created_at AS "createdAt"`;

/** E-mail addresses are compared case-insensitively; we store them lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Stores a new account. */
export async function insertUser(
  q: Queryable,
  user: Pick<TUser, 'id' | 'email' | 'name' | 'passwordHash' | 'accountRole' | 'createdAt'>,
): Promise<void> {
  await q.run(
    `INSERT INTO users (id, email, name, password_hash, account_role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [user.id, normalizeEmail(user.email), user.name, user.passwordHash, user.accountRole, user.createdAt],
  );
}

/** The account with this e-mail, if any. */
export function findUserByEmail(q: Queryable, email: string): Promise<TUser | undefined> {
  return q.get<TUser>(`SELECT ${USER_COLUMNS} FROM users WHERE email = ?`, [normalizeEmail(email)]);
}

/** The account with this id, if any. */
export function findUserById(q: Queryable, id: string): Promise<TUser | undefined> {
  return q.get<TUser>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id]);
}

/** Ends every session issued before `at`: tokens older than this are refused. */
export async function invalidateUserSessions(q: Queryable, userId: string, at: number): Promise<void> {
  await q.run('UPDATE users SET sessions_valid_after = ? WHERE id = ?', [at, userId]);
}

/** Disables (or, with null, re-enables) an account. */
export async function setUserDisabled(q: Queryable, userId: string, at: number | null): Promise<void> {
  await q.run('UPDATE users SET disabled_at = ? WHERE id = ?', [at, userId]);
}

/** Remembers the interface language an account chose. */
export async function setUserLocale(q: Queryable, userId: string, locale: string): Promise<void> {
  await q.run('UPDATE users SET locale = ? WHERE id = ?', [locale, userId]);
}

/** Sets the password hash of an account. */
export async function updateUserPassword(q: Queryable, userId: string, passwordHash: string): Promise<void> {
  await q.run('UPDATE users SET password_hash = ? WHERE id = ?', [passwordHash, userId]);
}

/** How many accounts exist (the demo seed runs only on an empty database). */
export async function countUsers(q: Queryable): Promise<number> {
  const row = await q.get<{ n: number }>('SELECT COUNT(*) AS n FROM users');
  return Number(row?.n ?? 0);
}

export interface TActorRecord {
  id: string;
  name: string;
  kind: TActorKind;
  country: string;
  createdAt: number;
}

const ACTOR_COLUMNS = `id, name, kind, country, created_at AS "createdAt"`;

/** Stores a new actor (a city, a ministry, an NGO…). */
export async function insertActor(q: Queryable, actor: TActorRecord): Promise<void> {
  await q.run('INSERT INTO actors (id, name, kind, country, created_at) VALUES (?, ?, ?, ?, ?)', [
    actor.id,
    actor.name,
    actor.kind,
    actor.country,
    actor.createdAt,
  ]);
}

/** All actors, by name. */
export function listActors(q: Queryable): Promise<TActorRecord[]> {
  return q.all<TActorRecord>(`SELECT ${ACTOR_COLUMNS} FROM actors ORDER BY name`);
}

/** The actor with this id, if any. */
export function findActorById(q: Queryable, id: string): Promise<TActorRecord | undefined> {
  return q.get<TActorRecord>(`SELECT ${ACTOR_COLUMNS} FROM actors WHERE id = ?`, [id]);
}
