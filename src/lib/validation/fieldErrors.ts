import type { z } from 'zod';
import type { MessageKey } from '../../i18n/index.ts';

export type FieldErrors = Partial<Record<string, MessageKey>>;

const KNOWN_KEY = /^(validation|error)\./;

/** Maps zod issues to one message key per field; unknown zod messages fall back to a generic one. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (errors[field]) continue;
    errors[field] = (KNOWN_KEY.test(issue.message) ? issue.message : issue.code === 'invalid_type' ? 'validation.required' : 'validation.invalid') as MessageKey;
  }
  return errors;
}
