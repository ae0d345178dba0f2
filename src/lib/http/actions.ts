import type { AstroGlobal } from 'astro';
import type { AuditActor, ChangeContext } from '../context.ts';
import { can, type Action, type Actor } from '../auth/can.ts';
import { permit } from '../auth/index.ts';
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

// `any`: each intent's handler returns its own type, which `Success` recovers per intent.
type Intents = Record<string, IntentSpec<any>>;
type IntentOf<S extends Intents> = keyof S & string;

/** A handled intent with what its handler returned, discriminated by the intent. */
export type Success<S extends Intents> = { [K in IntentOf<S>]: { posted: true; ok: true; intent: K; data: Awaited<ReturnType<S[K]['handler']>> } }[IntentOf<S>];

export interface ActionSpec<S extends Intents> {
  /** The page's own permission, checked with permit() on every request (GET too): refused → 403, audited, nothing read. */
  permission?: { action: Action; regionCode: string };
  intents: S;
  /** The intent a post names: its `intent` field unless the page's forms say it otherwise. */
  intentOf?: (fields: Record<string, string>) => string | undefined;
  /** The intent of a post without an `intent` field (a form with one button, an older page). */
  defaultIntent?: NoInfer<IntentOf<S>>;
  /**
   * The domain's own refusal of an intent its `allowedIntents` leaves out (the same check its
   * write runs): thrown inside the action, so it answers and is audited exactly as the write would.
   */
  refuse?: (intent: IntentOf<S>) => void;
  /** Where to send the browser after a success (PRG); without it, or for undefined, the page renders the result. */
  done?: (success: NoInfer<Success<S>>, fields: Record<string, string>) => string | undefined;
}

interface Common {
  /** False when the page's permission refused (the status is then 403). */
  allowed: boolean;
  /** What was posted (for re-rendering); empty on a GET or an unreadable body. */
  fields: Record<string, string>;
  errors: FieldErrors;
  /** The 303 to answer with: set after a success when the spec has `done`. */
  redirect?: Response;
}

type Failure<S extends Intents> = { posted: true; ok: false; intent: IntentOf<S> | undefined; status: number };

export type ActionOutcome<S extends Intents> = Common & ({ posted: false; ok: false; intent: undefined } | Success<S> | Failure<S>);

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The POST side of every admin page: read the body once (a body that is not a form, or cannot be
 * read, is refused as a whole, never as "required" fields), pick the intent (none → the default,
 * unknown → 400), let the domain refuse it, check the intent's permission and run its handler with
 * `attempt` semantics (UserError → field errors and its status, refusals audited). Failures set the
 * response status; a success redirects when `done` is given.
 */
export async function runAction<S extends Intents>(
  astro: Pick<AstroGlobal, 'request' | 'response' | 'redirect'>,
  db: Db,
  ctx: ChangeContext<AuditActor | null> & { actor: Actor },
  spec: ActionSpec<S>,
): Promise<ActionOutcome<S>> {
  const allowed = !spec.permission || permit(db, ctx, spec.permission.action, spec.permission.regionCode);
  if (!allowed) astro.response.status = 403;
  if (!allowed || astro.request.method !== 'POST') return { allowed, posted: false, ok: false, intent: undefined, fields: {}, errors: {} };
  const outcome = await decide(astro.request, db, ctx, spec);
  if (!outcome.ok) {
    astro.response.status = outcome.status;
    return outcome;
  }
  const location = spec.done?.(outcome, outcome.fields);
  return location === undefined ? outcome : { ...outcome, redirect: astro.redirect(location, 303) };
}

const failure = (status: number, key: FieldErrors[string]) => ({
  allowed: true,
  posted: true as const,
  ok: false as const,
  intent: undefined,
  fields: {},
  errors: { _form: key },
  status,
});

async function decide<S extends Intents>(
  request: Request,
  db: Db,
  ctx: ChangeContext<AuditActor | null> & { actor: Actor },
  spec: ActionSpec<S>,
): Promise<Common & (Success<S> | Failure<S>)> {
  if (!FORM_TYPES.test(request.headers.get('content-type') ?? '')) return failure(415, 'error.unsupportedBody');
  const form = await readForm(request);
  if (!form) return failure(400, 'error.badRequest');
  const fields = formFields(form);
  const posted = spec.intentOf ? spec.intentOf(fields) : fields.intent;
  const named = posted === undefined || posted === '' ? spec.defaultIntent : posted;
  if (named === undefined || !Object.hasOwn(spec.intents, named)) return { ...failure(400, 'error.unknownIntent'), fields };
  const intent: IntentOf<S> = named;
  const { permission, handler } = spec.intents[intent]!;
  const result = await attempt(
    () => {
      spec.refuse?.(intent);
      // Thrown, not answered here: `attempt` audits the refusal like any write's.
      if (permission && !can(ctx.actor, permission.action, permission.regionCode)) throw new ForbiddenError(permission.action, permission.regionCode);
      return handler({ form, fields });
    },
    { db, ctx },
  );
  if (!result.ok) return { allowed: true, posted: true, ok: false, intent, fields, errors: result.errors, status: result.status };
  return { allowed: true, posted: true, ok: true, intent, data: result.data, fields, errors: {} } as Common & Success<S>;
}
