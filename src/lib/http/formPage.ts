import type { AstroGlobal } from 'astro';
import { permit, type Action } from '../auth/index.ts';
import type { Db } from '../db/index.ts';
import { submitForm, type FieldErrors } from './form.ts';
import type { ChangeContext } from '../context.ts';

export interface FormPage {
  /** False when the permission rule refused (the status is then 403 and the refusal audited). */
  allowed: boolean;
  /** What was posted (for re-rendering), or `initial` on a GET. */
  fields: Record<string, string>;
  errors: FieldErrors;
  /** The 303 to answer with after a successful POST. */
  redirect?: Response;
}

/**
 * What an admin form page does before rendering: check the permission, and on POST run the module
 * call with the posted fields, redirecting (PRG) on success or keeping the fields and errors with
 * the refusal's 4xx status.
 */
export async function formPage<T>(
  astro: AstroGlobal,
  db: Db,
  ctx: ChangeContext,
  permission: { action: Action; regionCode: string },
  submit: (fields: Record<string, string>, form: FormData) => T | Promise<T>,
  done: (result: T) => string,
  initial: Record<string, string> = {},
): Promise<FormPage> {
  if (!permit(db, ctx, permission.action, permission.regionCode)) {
    astro.response.status = 403;
    return { allowed: false, fields: initial, errors: {} };
  }
  if (astro.request.method !== 'POST') return { allowed: true, fields: initial, errors: {} };
  const { result, fields } = await submitForm(astro.request, (form, posted) => submit(posted, form), { db, ctx });
  if (result.ok) return { allowed: true, fields, errors: {}, redirect: astro.redirect(done(result.data), 303) };
  astro.response.status = result.status;
  return { allowed: true, fields, errors: result.errors };
}
