import { unstable_rethrow } from 'next/navigation';
import { AppError } from '../shared/errors';
import type { TFormState } from '../shared/form-state';
import { log } from './log';

/** Text fields of a form, without Next's internal `$ACTION…` fields and without passwords. */
export function typedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === 'string' && !key.startsWith('$') && !/password/i.test(key)) values[key] = value.slice(0, 5000);
  }
  return values;
}

/** One string field of a form (`undefined` when missing or a file, or when no form was sent), for building use-case input. */
export function formText(formData: unknown, name: string): string | undefined {
  const value = formData instanceof FormData ? formData.get(name) : null;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs a server action's work and turns failures into a form state: AppErrors become their safe
 * code and field messages; anything else is logged and shown as `internal`. Redirects pass through.
 * The arguments come from the request as the client chose to encode them, so an action called with
 * something else than a form is `invalid_input` before any work (H15). `fieldNames` names the
 * form's field for each input path the use case reports that the form names differently
 * (`actor.name` → `name`): a message the form cannot place is a message nobody sees.
 */
export async function runFormAction(formData: unknown, work: () => Promise<TFormState | void>, fieldNames: Record<string, string> = {}): Promise<TFormState> {
  if (!(formData instanceof FormData)) return { status: 'error', code: 'invalid_input', fields: {}, values: {} };
  try {
    return (await work()) ?? { status: 'success' };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) {
      const fields = Object.fromEntries(Object.entries(error.fields).map(([path, message]) => [fieldNames[path] ?? path, message]));
      return { status: 'error', code: error.code, fields, values: typedValues(formData) };
    }
    log.error('action.failed', { error });
    return { status: 'error', code: 'internal', fields: {}, values: typedValues(formData) };
  }
}
