/**
 * Stable error codes with safe messages. Only these ever reach a client: raw exception messages and
 * stacks stay in the server log. Each code maps to an HTTP status and to a message key in
 * messages/<locale>.json (`errors.<code>`).
 */
export const ERROR_STATUS = {
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  already_member: 409,
  email_taken: 409,
  invalid_transition: 409,
  last_secretariat: 409,
  not_adopted: 409,
  already_signed: 409,
  paragraph_agreed: 409,
  document_adopted: 409,
  invitation_invalid: 404,
  invitation_expired: 410,
  invitation_used: 410,
  invitation_wrong_account: 403,
  rate_limited: 429,
  payload_too_large: 413,
  internal: 500,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

/** A failure whose code (and optional field errors) can be shown to the user. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: TErrorCode,
    /** Field name → message key, for forms. */
    readonly fields: Record<string, string> = {},
  ) {
    super(code);
    this.status = ERROR_STATUS[code];
  }
}

/** The client-safe shape of any error: unknown errors become `internal`. */
export function toSafeError(error: unknown): { code: TErrorCode; fields: Record<string, string> } {
  if (error instanceof AppError) return { code: error.code, fields: error.fields };
  return { code: 'internal', fields: {} };
}
