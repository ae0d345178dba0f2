import type { AstroGlobal } from 'astro';
import type { AuditContext } from '../audit/index.ts';
import { can, type Action, type Actor } from '../auth/can.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Db } from '../db/index.ts';
import { ForbiddenError } from '../errors.ts';
import { attempt, formFields, readForm, type FieldErrors } from './form.ts';

/** The signed-in user of an /admin page: the middleware sends everyone else to the sign-in page first. */
export function requireUser(locals: App.Locals): SessionUser {
  if (!locals.user) throw new Error('An /admin page ran without a signed-in user: the middleware guard is missing');
  return locals.user;
}

/** What a handler gets: the body, read once. */
export interface ActionInput {
  form: FormData;
  fields: Record<string, string>;
}

export interface IntentSpec<T> {
  /** Checked with can() before the handler runs; a refusal is audited and answered 403. */
  permission?: { action: Action; regionCode: string };
  handler: (input: ActionInput) => T | Promise<T>;
}

export interface ActionSpec<I extends string, T> {
  intents: Record<I, IntentSpec<T>>;
  /** The intent of a post without an `intent` field (a form with one button, an older page). */
  defaultIntent?: NoInfer<I>;
  /**
   * The domain's own refusal of an intent its `allowedIntents` leaves out (the same check its
   * write runs): thrown inside the action, so it answers and is audited exactly as the write would.
   */
  refuse?: (intent: I) => void;
  /** Where to send the browser after a success (PRG); without it the page renders the result. */
  done?: (data: T, intent: I, fields: Record<string, string>) => string;
}

interface Posted {
  /** What was posted (for re-rendering); empty on a GET or an unreadable body. */
  fields: Record<string, string>;
  errors: FieldErrors;
  /** The 303 to answer with: set after a success when the spec has `done`. */
  redirect?: Response;
}

export type ActionOutcome<I extends string, T> = Posted &
  ({ posted: false; ok: false; intent: undefined } | { posted: true; ok: true; intent: I; data: T } | { posted: true; ok: false; intent: I | undefined; status: number });

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

const failure = (status: number, key: FieldErrors[string]) => ({ posted: true as const, ok: false as const, intent: undefined, fields: {}, errors: { _form: key }, status });

/**
 * The POST side of every admin page: read the body once (a body that is not a form, or cannot be
 * read, is refused as a whole, never as "required" fields), pick the intent (none → the default,
 * unknown → 400), let the domain refuse it, check the intent's permission and run its handler with
 * `attempt` semantics (UserError → field errors and its status, refusals audited). Failures set the
 * response status; a success redirects when `done` is given.
 */
export async function runAction<I extends string, T>(
  astro: Pick<AstroGlobal, 'request' | 'response' | 'redirect'>,
  db: Db,
  ctx: AuditContext & { actor: Actor },
  spec: ActionSpec<I, T>,
): Promise<ActionOutcome<I, T>> {
  if (astro.request.method !== 'POST') return { posted: false, ok: false, intent: undefined, fields: {}, errors: {} };
  const outcome = await decide(astro.request, db, ctx, spec);
  if (!outcome.ok) {
    astro.response.status = outcome.status;
    return outcome;
  }
  if (!spec.done) return outcome;
  return { ...outcome, redirect: astro.redirect(spec.done(outcome.data, outcome.intent, outcome.fields), 303) };
}

async function decide<I extends string, T>(request: Request, db: Db, ctx: AuditContext & { actor: Actor }, spec: ActionSpec<I, T>): Promise<Extract<ActionOutcome<I, T>, { posted: true }>> {
  if (!FORM_TYPES.test(request.headers.get('content-type') ?? '')) return failure(415, 'error.unsupportedBody');
  const form = await readForm(request);
  if (!form) return failure(400, 'error.badRequest');
  const fields = formFields(form);
  const named = fields.intent === undefined || fields.intent === '' ? spec.defaultIntent : fields.intent;
  if (named === undefined || !Object.hasOwn(spec.intents, named)) return { ...failure(400, 'error.unknownIntent'), fields };
  const intent = named as I;
  const { permission, handler } = spec.intents[intent];
  const result = await attempt(
    () => {
      spec.refuse?.(intent);
      // Thrown, not answered here: `attempt` audits the refusal like any write's.
      if (permission && !can(ctx.actor, permission.action, permission.regionCode)) throw new ForbiddenError(permission.action, permission.regionCode);
      return handler({ form, fields });
    },
    { db, ctx },
  );
  if (!result.ok) return { posted: true, ok: false, intent, fields, errors: result.errors, status: result.status };
  return { posted: true, ok: true, intent, data: result.data, fields, errors: {} };
}
