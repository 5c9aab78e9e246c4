/**
 * Structured logging: one JSON object per line, so user-supplied strings (names, ids, messages)
 * cannot forge log lines with newlines or terminal escapes (THREATS T43).
 */
type TLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<TLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold: TLevel = (process.env.LOG_LEVEL as TLevel | undefined) ?? 'info';

/** Sets the lowest level that is written. */
export function setLogLevel(level: TLevel): void {
  threshold = level;
}

function write(level: TLevel, event: string, fields: Record<string, unknown>): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const line = JSON.stringify({ at: new Date().toISOString(), level, event, ...fields }, (_key, value: unknown) =>
    value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
  );
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (event: string, fields: Record<string, unknown> = {}) => write('debug', event, fields),
  info: (event: string, fields: Record<string, unknown> = {}) => write('info', event, fields),
  warn: (event: string, fields: Record<string, unknown> = {}) => write('warn', event, fields),
  error: (event: string, fields: Record<string, unknown> = {}) => write('error', event, fields),
};
