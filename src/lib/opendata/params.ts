import { z } from 'zod';
import { ID_PATTERN } from '../validation/number.ts';
import { LOCALES, type MessageKey, type Params } from '../../i18n/index.ts';

export type ErrorCode = 'invalid_parameter' | 'unknown_parameter' | 'not_found' | 'method_not_allowed';
export const ERROR_CODES = ['invalid_parameter', 'unknown_parameter', 'not_found', 'method_not_allowed'] as const satisfies readonly ErrorCode[];

/** A refusal of the API: the HTTP status, a stable code for programs and a catalogue message for people. */
export class ApiError extends Error {
  readonly status: 400 | 404 | 405;
  readonly code: ErrorCode;
  readonly key: MessageKey;
  readonly params: Params;
  readonly parameter: string | undefined;

  constructor(status: 400 | 404 | 405, code: ErrorCode, key: MessageKey, params: Params = {}, parameter?: string) {
    super(key);
    this.status = status;
    this.code = code;
    this.key = key;
    this.params = params;
    this.parameter = parameter;
  }
}

export const badParameter = (parameter: string, key: MessageKey, params: Params = {}) => new ApiError(400, 'invalid_parameter', key, { name: parameter, ...params }, parameter);

// Each value schema's message is the catalogue key of its refusal; `parseQuery` fills in the names.
/** City 4, county 6, township 9, village 12 digits (CODE_LENGTH). */
export const regionCode = z.string().regex(/^(\d{4}|\d{6}|\d{9}|\d{12})$/, 'opendata.error.regionCode');
export const countyCode = z.string().regex(/^\d{6}$/, 'opendata.error.countyCode');
export const day = z.iso.date('opendata.error.date');
export const text = z.string().trim().min(1, 'opendata.error.text').max(64, 'opendata.error.text');
export const numericId = z.string().regex(ID_PATTERN, 'opendata.error.id').transform(Number);
export const slug = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'opendata.error.slug');
/** A month of the year, 1–12. */
export const monthNumber = z
  .string()
  .regex(/^(0?[1-9]|1[0-2])$/, 'opendata.error.month')
  .transform(Number);
/** An amount as a buyer types it: above 0, at most two decimals, at most a million (a listing's minimum order's bounds). */
export const orderAmount = z
  .string()
  .regex(/^\d{1,7}(\.\d{1,2})?$/, 'opendata.error.maxOrder')
  .transform(Number)
  .refine((n) => n > 0 && n <= 1_000_000, 'opendata.error.maxOrder');
export const flag = z.enum(['true', 'false'], 'opendata.error.oneOf').transform((v) => v === 'true');
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, 'opendata.error.oneOf');

/** An opaque position from a previous page's `nextCursor`. */
export const cursorText = z.string().regex(/^[\w-]{1,200}$/, 'opendata.error.cursor');
export const locale = z.enum(LOCALES, 'opendata.error.oneOf');

export function limitSchema(max: number, fallback: number) {
  return z.coerce.number('opendata.error.limit').int('opendata.error.limit').min(1, 'opendata.error.limit').max(max, 'opendata.error.limit').default(fallback);
}

/** The catalogue key a schema gave its refusal, or the generic one for zod's own messages. */
export function issueKey(issue: z.core.$ZodIssue): MessageKey {
  return (/^opendata\.error\./.test(issue.message) ? issue.message : 'opendata.error.invalid') as MessageKey;
}

/**
 * Reads a query string with a strict schema: the first problem becomes a 400 naming the
 * parameter; an unknown parameter is refused too, so a misspelt filter never silently returns
 * everything. A repeated parameter counts once (its first value).
 */
export function parseQuery<S extends z.ZodObject>(schema: S, search: URLSearchParams, context: Params = {}): z.output<S> {
  const input: Record<string, string> = {};
  for (const key of search.keys()) input[key] ??= search.get(key)!;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const name = issue.keys[0]!;
    throw new ApiError(400, 'unknown_parameter', 'opendata.error.unknownParameter', { name, allowed: Object.keys(schema.shape).join(', ') }, name);
  }
  const name = String(issue.path[0] ?? '');
  const allowed = issue.code === 'invalid_value' ? issue.values.join(', ') : '';
  throw badParameter(name, issueKey(issue), { ...context, allowed });
}
