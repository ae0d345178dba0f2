/**
 * Topic requests (约稿 / 报送要点, issue 23): the city office or a county asks chosen units for
 * reports on a topic by a deadline. A report answers one when its unit picks it while filing; per
 * unit a request is answered on time, late, or — after the deadline — unanswered.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { CODE_LENGTH, isWithin, REGION_LEVELS, type RegionLevel } from '../regions/types.ts';
import { parseLocalDateTime } from '../trainings/schemas.ts';

export interface TopicRequest {
  id: number;
  issuerCode: string;
  topic: string;
  description: string;
  deadline: number;
  createdAt: number;
}

export type AnswerState = 'open' | 'onTime' | 'late' | 'unanswered';

export interface UnitAnswer {
  unitCode: string;
  unitName: string;
  /** When the unit's first answering report was filed. */
  answeredAt: number | null;
  state: AnswerState;
}

const UNIT_LEVELS = ['county', 'township', 'village'] as const satisfies readonly RegionLevel[];

const requestSchema = z.object({
  topic: z.string().trim().min(2, 'validation.request.topicLength').max(60, 'validation.request.topicLength'),
  description: z.string().trim().max(1000, 'validation.tooLong').default(''),
  deadline: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const ms = parseLocalDateTime(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: value === '' ? 'validation.required' : 'validation.request.deadline' });
        return z.NEVER;
      }
      return ms;
    }),
  level: z.enum(UNIT_LEVELS, 'validation.request.level'),
  // The regions to ask within (their units at `level`); none means the issuer's whole area.
  within: z
    .array(z.string().regex(/^\d{4,12}$/, 'validation.request.within'))
    .max(200, 'validation.request.within')
    .default([]),
});

const SELECT = `SELECT id, issuer_code AS issuerCode, topic, description, deadline, created_at AS createdAt FROM report_requests`;

export function answerState(deadline: number, answeredAt: number | null, now = Date.now()): AnswerState {
  if (answeredAt === null) return now > deadline ? 'unanswered' : 'open';
  return answeredAt > deadline ? 'late' : 'onTime';
}

/**
 * Issues a request from the actor's office (the city office or a county) to every unit of the
 * chosen level inside the chosen regions of its own area.
 */
export function issueRequest(db: Db, ctx: ChangeContext, raw: unknown): TopicRequest {
  const fields = requestSchema.parse(raw);
  const issuer = ctx.actor.regionCode;
  if (!can(ctx.actor, 'report.request.issue', issuer)) throw new ForbiddenError('report.request.issue', issuer);
  const now = Date.now();
  if (fields.deadline <= now) throw new UserError('request.deadline.past', 400, 'deadline');
  if (CODE_LENGTH[fields.level] <= issuer.length) throw new UserError('validation.request.level', 400, 'level');
  const within = fields.within.length > 0 ? [...new Set(fields.within)] : [issuer];
  for (const code of within) {
    // Out of the issuer's area looks like a code that does not exist.
    if (!isWithin(code, issuer) || code.length > CODE_LENGTH[fields.level]) throw new UserError('validation.request.within', 400, 'within');
  }
  let id = 0;
  db.transaction(() => {
    const units = new Set<string>();
    for (const code of within) {
      for (const { code: unit } of many<{ code: string }>(db, `SELECT code FROM regions WHERE level = ? AND code >= ? AND code < ?`, fields.level, code, `${code}:`))
        units.add(unit);
    }
    if (units.size === 0) throw new UserError('request.noUnits', 400, 'within');
    id = Number(
      stmt(db, 'INSERT INTO report_requests (issuer_code, topic, description, deadline, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        issuer,
        fields.topic,
        fields.description,
        fields.deadline,
        ctx.actor.id || null,
        now,
      ).lastInsertRowid,
    );
    for (const unit of units) stmt(db, 'INSERT INTO report_request_units (request_id, unit_code) VALUES (?, ?)').run(id, unit);
    recordAudit(db, ctx, {
      action: 'report.request.issue',
      entity: 'report_request',
      entityId: String(id),
      regionCode: issuer,
      summary: `topic=${fields.topic} level=${fields.level} units=${units.size} deadline=${new Date(fields.deadline).toISOString()}`,
    });
  }).immediate();
  return getRequest(db, id)!;
}

export function getRequest(db: Db, id: number): TopicRequest | undefined {
  return one<TopicRequest>(db, `${SELECT} WHERE id = ?`, id);
}

/** True when the request asks `unit` (a report of that unit may answer it). */
export function requestAsks(db: Db, requestId: number, unit: string): boolean {
  return stmt(db, 'SELECT 1 FROM report_request_units WHERE request_id = ? AND unit_code = ?').get(requestId, unit) !== undefined;
}

/** The issuing office (and the offices above it) sees every unit's answer; an asked unit sees the request. */
function mayManage(actor: Actor, request: TopicRequest): boolean {
  return can(actor, 'report.request.issue', request.issuerCode);
}

function asked(actor: Actor, db: Db, request: TopicRequest): boolean {
  return can(actor, 'report.write', actor.regionCode) && requestAsks(db, request.id, actor.regionCode);
}

export interface RequestDetail extends TopicRequest {
  /** Every asked unit for the issuing office; the actor's own unit alone for an asked unit. */
  answers: UnitAnswer[];
  counts: Record<AnswerState, number>;
}

/** The request with the answers per unit, if the actor may see it; 404 otherwise, so nothing leaks. */
export function readRequest(db: Db, actor: Actor, id: number, now = Date.now()): RequestDetail {
  const request = getRequest(db, id);
  if (!request) throw new UserError('error.notFound', 404);
  const manage = mayManage(actor, request);
  if (!manage && !asked(actor, db, request)) throw new ForbiddenError('report.read', request.issuerCode, { asNotFound: true });
  const rows = many<{ unitCode: string; unitName: string; answeredAt: number | null }>(
    db,
    `SELECT u.unit_code AS unitCode, g.name AS unitName, min(r.created_at) AS answeredAt
     FROM report_request_units u JOIN regions g ON g.code = u.unit_code
     LEFT JOIN reports r ON r.request_id = u.request_id AND r.author_region = u.unit_code
     WHERE u.request_id = ? AND (? OR u.unit_code = ?) GROUP BY u.unit_code ORDER BY g.sort_order, u.unit_code`,
    id,
    manage ? 1 : 0,
    actor.regionCode,
  );
  const answers = rows.map((r) => ({ ...r, state: answerState(request.deadline, r.answeredAt, now) }));
  const counts: Record<AnswerState, number> = { open: 0, onTime: 0, late: 0, unanswered: 0 };
  for (const a of answers) counts[a.state] += 1;
  return { ...request, answers, counts };
}

/** The requests asking the actor's unit that it has not answered yet, nearest deadline first: its queue, and the filing form's choices. */
export function requestsForUnit(db: Db, actor: Actor): TopicRequest[] {
  // Requests ask regions' units, never a department (index.ts refuses a department's answer).
  if (actor.role === 'reporter' || !can(actor, 'report.write', actor.regionCode)) return [];
  return many<TopicRequest>(
    db,
    `SELECT q.id, q.issuer_code AS issuerCode, q.topic, q.description, q.deadline, q.created_at AS createdAt
     FROM report_requests q JOIN report_request_units u ON u.request_id = q.id AND u.unit_code = ?
     WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.request_id = q.id AND r.author_region = u.unit_code)
     ORDER BY q.deadline LIMIT 50`,
    actor.regionCode,
  );
}

/** The requests issued by the actor's office or offices below it, newest first. */
export function requestsIssued(db: Db, actor: Actor): TopicRequest[] {
  if (!can(actor, 'report.request.issue', actor.regionCode)) return [];
  return many<TopicRequest>(db, `${SELECT} WHERE issuer_code >= ? AND issuer_code < ? ORDER BY created_at DESC LIMIT 50`, actor.regionCode, `${actor.regionCode}:`);
}

/** The levels the actor's office may ask, below its own. */
export function askableLevels(actor: Actor): RegionLevel[] {
  return REGION_LEVELS.filter((level) => (UNIT_LEVELS as readonly string[]).includes(level) && CODE_LENGTH[level] > actor.regionCode.length);
}

export interface RequestTally {
  key: string;
  name: string;
  onTime: number;
  late: number;
  unanswered: number;
}

/**
 * Per unit (or per officer, by the author of the unit's first answer), the requests whose deadline
 * falls in [from, to) for units in `scope`: answered on time, late, and unanswered once the
 * deadline has passed. An officer cannot be blamed for a unit's silence, so unanswered is per unit only.
 */
export function requestTally(db: Db, scope: string, from: number, to: number, by: 'officer' | 'unit', now = Date.now()): RequestTally[] {
  const rows = many<{ unit: string; unitName: string; deadline: number; answeredAt: number | null; authorId: string | null; authorName: string }>(
    db,
    `SELECT u.unit_code AS unit, g.name AS unitName, q.deadline, a.created_at AS answeredAt, a.author_id AS authorId,
       coalesce(nullif(usr.display_name, ''), usr.username, '') AS authorName
     FROM report_request_units u JOIN report_requests q ON q.id = u.request_id JOIN regions g ON g.code = u.unit_code
     LEFT JOIN reports a ON a.id = (SELECT r.id FROM reports r WHERE r.request_id = q.id AND r.author_region = u.unit_code ORDER BY r.created_at, r.id LIMIT 1)
     LEFT JOIN users usr ON usr.id = a.author_id
     WHERE q.deadline >= ? AND q.deadline < ? AND u.unit_code >= ? AND u.unit_code < ?`,
    from,
    to,
    scope,
    `${scope}:`,
  );
  const tally = new Map<string, RequestTally>();
  for (const row of rows) {
    const state = answerState(row.deadline, row.answeredAt, now);
    if (state === 'open' || (by === 'officer' && state === 'unanswered')) continue;
    const key = by === 'unit' ? row.unit : (row.authorId ?? '');
    const entry = tally.get(key) ?? { key, name: by === 'unit' ? row.unitName : row.authorName, onTime: 0, late: 0, unanswered: 0 };
    entry[state] += 1;
    tally.set(key, entry);
  }
  return [...tally.values()];
}
