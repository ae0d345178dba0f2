import { z } from 'zod';
import { recordDenied } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import type { AuditActor, ChangeContext } from '../context.ts';
import { fieldErrors, type FieldErrors } from '../validation/fieldErrors.ts';
import { formFields } from '../validation/formFields.ts';

// Pages and components take these from here with the other form helpers.
export type { FieldErrors } from '../validation/fieldErrors.ts';
export { formFields } from '../validation/formFields.ts';

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; status: number };

/**
 * Reads a urlencoded or multipart body; a malformed body is the client's fault (400), not ours.
 * Bytes that are not UTF-8 arrive as U+FFFD: such a body is refused rather than stored garbled.
 */
export async function readForm(request: Request): Promise<FormData | undefined> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return undefined;
  }
  for (const [, value] of form) if (typeof value === 'string' && value.includes('\ufffd')) return undefined;
  return form;
}

export function validate<S extends z.ZodType>(schema: S, input: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: fieldErrors(parsed.error), status: 400 };
}

/** Writes a permission refusal (whatever its status) to the audit log of `audit.db`; other errors are no refusals. */
export function auditRefusal(err: unknown, audit: { db: Db; ctx: ChangeContext<AuditActor | null> }): void {
  if (err instanceof ForbiddenError) recordDenied(audit.db, audit.ctx, err.action, err.regionCode);
}

/**
 * Runs a module call and turns the refusals users can cause (validation, permission, conflicts)
 * into field errors; anything else is a real fault and propagates. Permission refusals are
 * written to the audit log of `audit.db` (outside the rolled-back transaction).
 */
export async function attempt<T>(run: () => T | Promise<T>, audit?: { db: Db; ctx: ChangeContext<AuditActor | null> }): Promise<FormResult<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (err) {
    if (err instanceof z.ZodError) return { ok: false, errors: fieldErrors(err), status: 400 };
    if (audit) auditRefusal(err, audit);
    if (err instanceof UserError) return { ok: false, errors: { [err.field ?? '_form']: err.key }, status: err.status };
    throw err;
  }
}

/**
 * The whole POST side of a form page: read the body (400 if unreadable), run the module call
 * through `attempt`, and hand back the result with the typed values for re-display.
 */
export async function submitForm<T>(
  request: Request,
  run: (form: FormData, fields: Record<string, string>) => T | Promise<T>,
  audit?: { db: Db; ctx: ChangeContext<AuditActor | null> },
): Promise<{ result: FormResult<T>; fields: Record<string, string> }> {
  const form = await readForm(request);
  if (!form) return { result: { ok: false, errors: { _form: 'error.badRequest' }, status: 400 }, fields: {} };
  const fields = formFields(form);
  return { result: await attempt(() => run(form, fields), audit), fields };
}
