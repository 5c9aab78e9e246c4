import type { TErrorCode } from './errors';

/** What a server action returns to the form that called it. */
export type TFormState =
  | { status: 'idle' }
  | {
      status: 'error';
      code: TErrorCode;
      /** Field name → message key under `fieldErrors`. */
      fields: Record<string, string>;
      /** What the user typed (never passwords), so a failed submit does not clear the form. */
      values: Record<string, string>;
    }
  | { status: 'success'; data?: Record<string, string> };

export const IDLE: TFormState = { status: 'idle' };
