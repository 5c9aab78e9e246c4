import type { z } from 'zod';
import { AppError } from '../shared/errors';
import { fieldErrors } from '../shared/schemas';

/** Validates untrusted input against a schema, or throws `invalid_input` with field messages. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('invalid_input', fieldErrors(result.error));
  return result.data;
}
