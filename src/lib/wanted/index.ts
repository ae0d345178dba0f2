import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { afterKey, Where } from '../db/where.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { indexDocument, removeDocument } from '../search/index.ts';
import { CATEGORIES, type Category } from '../listings/types.ts';
import { startOfDay, today } from '../time.ts';
import { wholeNumber } from '../validation/number.ts';
import { optionalPhoneSchema } from '../validation/phone.ts';

import { matchingListings, queueMatchMessages, requestsMatchingVillage, type MatchedListing, type VillageMatch } from './match.ts';
import { CONTACT_MODES, WANTED_UNITS, type ContactMode, type WantedUnit } from './types.ts';

export * from './types.ts';

const DAY = 24 * 3600_000;
/** A deadline further away than this is a typing mistake: buyers want goods within a season or two. */
const MAX_DEADLINE_DAYS = 366;

const text = (max: number) => z.string().trim().max(max, 'validation.tooLong').default('');

export const wantedSchema = z
  .object({
    regionCode: z
      .string('validation.wanted.region')
      .trim()
      .regex(/^\d{6}(\d{3})?$/, 'validation.wanted.region'),
    product: z.string('validation.wanted.product').trim().min(1, 'validation.wanted.product').max(40, 'validation.tooLong'),
    category: z.enum(CATEGORIES, 'validation.listing.category'),
    variety: text(40),
    specs: text(300),
    quantity: wholeNumber('validation.wanted.quantity', 1, 100_000_000),
    unit: z.enum(WANTED_UNITS, 'validation.wanted.unit'),
    origin: text(60),
    deliveryPlace: text(60),
    deadline: z.string('validation.wanted.deadline').trim(),
    contactMode: z.enum(CONTACT_MODES, 'validation.wanted.contactMode'),
    contactName: text(30),
    contactPhone: optionalPhoneSchema.prefault(''),
  })
  .superRefine((v, ctx) => {
    const start = startOfDay(v.deadline);
    if (start === undefined || v.deadline < today() || start > Date.now() + MAX_DEADLINE_DAYS * DAY) {
      ctx.addIssue({ code: 'custom', message: 'validation.wanted.deadline', path: ['deadline'] });
    }
    if (v.contactMode === 'own' && v.contactName === '') ctx.addIssue({ code: 'custom', message: 'validation.required', path: ['contactName'] });
    if (v.contactMode === 'own' && v.contactPhone === '') ctx.addIssue({ code: 'custom', message: 'validation.phone.invalid', path: ['contactPhone'] });
  })
  // "Contact the station" keeps no buyer's phone: nothing stored that is never shown.
  .transform((v) => (v.contactMode === 'station' ? { ...v, contactName: '', contactPhone: '' } : v));
export type WantedInput = z.output<typeof wantedSchema>;

export type WantedStatus = 'open' | 'closed';

export interface Wanted {
  id: number;
  regionCode: string;
  regionName: string;
  status: WantedStatus;
  product: string;
  category: Category;
  variety: string;
  specs: string;
  quantity: number;
  unit: WantedUnit;
  origin: string;
  deliveryPlace: string;
  deadline: string;
  expiresAt: number;
  contactMode: ContactMode;
  contactName: string;
  contactPhone: string;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The contact the public sees: the buyer's own, or the station's (the region's profile contact). */
export interface ShownContact {
  name: string;
  phone: string;
}

const SELECT = `SELECT w.id, w.region_code AS regionCode, r.short_name AS regionName, w.status, w.product, w.category, w.variety, w.specs,
  w.quantity, w.unit, w.origin, w.delivery_place AS deliveryPlace, w.deadline, w.expires_at AS expiresAt, w.contact_mode AS contactMode,
  w.contact_name AS contactName, w.contact_phone AS contactPhone, w.created_by AS createdBy, w.created_at AS createdAt, w.updated_at AS updatedAt
  FROM wanted w JOIN regions r ON r.code = w.region_code`;

export function getWanted(db: Db, id: number): Wanted | undefined {
  return one<Wanted>(db, `${SELECT} WHERE w.id = ?`, id);
}

/** A request the actor may manage; out of scope answers like an unknown id. */
export function getManagedWanted(db: Db, actor: Actor, id: number): Wanted {
  const wanted = getWanted(db, id);
  if (!wanted) throw new UserError('error.notFound', 404);
  if (!can(actor, 'wanted.manage', wanted.regionCode)) throw new ForbiddenError('wanted.manage', wanted.regionCode, { asNotFound: true });
  return wanted;
}

/** The requests kept in `scope` and below (a region code prefix), open ones first, newest first. */
export function wantedWithin(db: Db, scope: string): Wanted[] {
  return many<Wanted>(db, `${SELECT} WHERE w.region_code LIKE ? || '%' ORDER BY w.status = 'closed', w.created_at DESC, w.id DESC LIMIT 500`, scope);
}

/** Whether the public still sees it: open and before the end of its deadline day. */
export function isLive(wanted: Pick<Wanted, 'status' | 'expiresAt'>, now = Date.now()): boolean {
  return wanted.status === 'open' && wanted.expiresAt > now;
}

/** The contact to show for a request. */
export function shownContact(db: Db, wanted: Pick<Wanted, 'contactMode' | 'contactName' | 'contactPhone' | 'regionCode'>): ShownContact {
  if (wanted.contactMode === 'own') return { name: wanted.contactName, phone: wanted.contactPhone };
  return one<ShownContact>(db, 'SELECT contact_name AS name, contact_phone AS phone FROM regions WHERE code = ?', wanted.regionCode) ?? { name: '', phone: '' };
}

/** The counties and townships in the actor's scope a request can be kept by, for the form's select. */
export function wantedRegionsFor(db: Db, actor: Actor): { code: string; label: string }[] {
  return many<{ code: string; label: string }>(
    db,
    `SELECT code, short_name AS label FROM regions WHERE code LIKE ? || '%' AND level IN ('county', 'township') ORDER BY code`,
    actor.regionCode,
  ).filter((r) => can(actor, 'wanted.manage', r.code));
}

export const wantedHref = (id: number) => `/wanted/${id}`;

/** The words a request is found by; never its phone. */
export function wantedText(v: Pick<WantedInput, 'variety' | 'specs' | 'origin' | 'deliveryPlace'>): string {
  return [v.variety, v.specs, v.origin, v.deliveryPlace].filter(Boolean).join('\n');
}

/** Mirrors an open request into the site search (expiry is judged at read time by liveDocumentSql). */
function indexWanted(db: Db, id: number, v: WantedInput): void {
  indexDocument(db, {
    type: 'wanted',
    id: String(id),
    title: v.variety ? `${v.product}（${v.variety}）` : v.product,
    body: wantedText(v),
    regionCode: v.regionCode,
    url: wantedHref(id),
  });
}

const LIVE = "w.status = 'open' AND w.expires_at > ?";

/** The request if the public may see it: open and its deadline not past. */
export function publicWanted(db: Db, id: number, now = Date.now()): Wanted | undefined {
  return one<Wanted>(db, `${SELECT} WHERE w.id = ? AND ${LIVE}`, id, now);
}

export interface PublicWantedQuery {
  /** Only requests kept in this region's subtree (a county code). */
  within?: string | undefined;
  category?: Category | undefined;
  limit: number;
  offset?: number;
  now?: number;
}

/** Live requests, newest first, with their number. */
export function publicWantedList(db: Db, query: PublicWantedQuery): { items: Wanted[]; total: number } {
  const now = query.now ?? Date.now();
  const where = `${LIVE} AND (? IS NULL OR w.region_code LIKE ? || '%') AND (? IS NULL OR w.category = ?)`;
  const params = [now, query.within ?? null, query.within ?? null, query.category ?? null, query.category ?? null];
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM wanted w WHERE ${where}`, ...params)!.n;
  const items = many<Wanted>(db, `${SELECT} WHERE ${where} ORDER BY w.created_at DESC, w.id DESC LIMIT ? OFFSET ?`, ...params, query.limit, query.offset ?? 0);
  return { items, total };
}

/** Live requests for the open-data API: newest first, keyset-paged on (created, id). */
export function publicWantedPage(
  db: Db,
  filter: { category?: Category | undefined; within?: string | undefined; limit: number; after?: readonly [number, number] | undefined; now: number },
): { items: Wanted[]; total: number } {
  const where = new Where().and(LIVE, filter.now);
  if (filter.category) where.and('w.category = ?', filter.category);
  if (filter.within) where.and("w.region_code LIKE ? || '%'", filter.within);
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM wanted w ${where}`, ...where.params)!.n;
  const page = filter.after ? afterKey(where.clone(), 'w.created_at', 'w.id', 'desc', filter.after) : where;
  const items = many<Wanted>(db, `${SELECT} ${page} ORDER BY w.created_at DESC, w.id DESC LIMIT ?`, ...page.params, filter.limit);
  return { items, total };
}

/** Expired requests out of the search index (reads already leave them out by the clock). */
export function sweepExpiredWanted(db: Db, now = Date.now()): void {
  const expired = many<{ id: number }>(db, `SELECT w.id FROM wanted w JOIN search_documents d ON d.type = 'wanted' AND d.id = CAST(w.id AS TEXT) WHERE w.expires_at <= ?`, now);
  db.transaction(() => {
    for (const { id } of expired) removeDocument(db, 'wanted', String(id));
  }).immediate();
}

/** Open requests matching the live listings of the actor's village (a collector's dashboard). */
export function requestsForVillage(db: Db, villageCode: string, now = Date.now()): VillageMatch<Wanted>[] {
  return requestsMatchingVillage(db, villageCode, (limit) => publicWantedList(db, { limit, now }).items, now);
}

/** Live listings matching a request, for its staff page (the whole city, the request's county first). */
export function listingsMatching(db: Db, wanted: Wanted, now = Date.now()): MatchedListing[] {
  return matchingListings(db, wanted, { now, limit: 30 });
}

export interface WantedAnswer {
  listingId: number;
  title: string;
  villageCode: string;
  villageName: string;
  answeredBy: string;
  createdAt: number;
}

/** The collectors' "I can supply" answers to a request, newest first, with the listing they offered. */
export function answersFor(db: Db, wantedId: number): WantedAnswer[] {
  return many<WantedAnswer>(
    db,
    `SELECT a.listing_id AS listingId, l.title, l.village_code AS villageCode, r.short_name AS villageName,
       coalesce(nullif(u.display_name, ''), u.username, '') AS answeredBy, a.created_at AS createdAt
     FROM wanted_answers a JOIN listings l ON l.id = a.listing_id JOIN regions r ON r.code = l.village_code
     LEFT JOIN users u ON u.id = a.answered_by
     WHERE a.wanted_id = ? ORDER BY a.created_at DESC, a.listing_id DESC`,
    wantedId,
  );
}

/** The listings an actor may offer for a request: live, in their own region, matching it, with whether already offered. */
export function supplyChoices(db: Db, actor: Actor, wanted: Wanted, now = Date.now()): (MatchedListing & { answered: boolean })[] {
  const answered = new Set(answersFor(db, wanted.id).map((a) => a.listingId));
  return matchingListings(db, wanted, { now, within: actor.regionCode, limit: 20 })
    .filter((l) => can(actor, 'wanted.answer', l.villageCode))
    .map((l) => ({ ...l, answered: answered.has(l.id) }));
}

const answerSchema = z.object({ listingId: wholeNumber('validation.wanted.listing', 1) });

/**
 * A collector offers one of their live listings for a live request ("I can supply"). The listing
 * must be public and in the actor's scope (another village's is refused like an unknown one); the
 * same listing is offered once.
 */
export function answerWanted(db: Db, ctx: ChangeContext, wantedId: number, raw: unknown, now = Date.now()): void {
  const wanted = publicWanted(db, wantedId, now);
  if (!wanted) throw new UserError('error.notFound', 404);
  const { listingId } = answerSchema.parse(raw);
  const listing = one<{ villageCode: string; title: string }>(
    db,
    'SELECT village_code AS villageCode, title FROM listing_public WHERE listing_id = ? AND expires_at > ?',
    listingId,
    now,
  );
  if (!listing || !can(ctx.actor, 'wanted.answer', listing.villageCode)) throw new UserError('validation.wanted.listing', 400, 'listingId');
  db.transaction(() => {
    const { changes } = stmt(db, 'INSERT INTO wanted_answers (wanted_id, listing_id, answered_by, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      wantedId,
      listingId,
      ctx.actor.id || null,
      now,
    );
    if (changes === 0) throw new UserError('validation.wanted.answered', 409, 'listingId');
    recordAudit(db, ctx, {
      action: 'wanted.answer',
      entity: 'wanted',
      entityId: String(wantedId),
      regionCode: listing.villageCode,
      summary: `listing=${listingId} title=${listing.title}`,
    });
  }).immediate();
}

export const WANTED_INTENTS = ['save', 'close'] as const;
export type WantedIntent = (typeof WANTED_INTENTS)[number];

/** Staff of the request's region edit and close an open request; nothing changes a closed one. */
export function allowedIntents(actor: Actor, wanted: Pick<Wanted, 'regionCode' | 'status'>): WantedIntent[] {
  if (!can(actor, 'wanted.manage', wanted.regionCode) || wanted.status === 'closed') return [];
  return ['save', 'close'];
}

export function refuseWantedIntent(actor: Actor, wanted: Pick<Wanted, 'regionCode' | 'status'>, intent: WantedIntent): void {
  if (allowedIntents(actor, wanted).includes(intent)) return;
  if (!can(actor, 'wanted.manage', wanted.regionCode)) throw new ForbiddenError('wanted.manage', wanted.regionCode, { asNotFound: true });
  throw new UserError('wanted.closedLocked', 409);
}

function summary(v: WantedInput): string {
  return `product=${v.product} category=${v.category} quantity=${v.quantity}/${v.unit} deadline=${v.deadline} contact=${v.contactMode}`;
}

/** Creates (id null) or edits a buy request; the region must be a county or township in the actor's scope. */
export function saveWanted(db: Db, ctx: ChangeContext, id: number | null, raw: unknown): number {
  const before = id === null ? undefined : getManagedWanted(db, ctx.actor, id);
  if (before) refuseWantedIntent(ctx.actor, before, 'save');
  const input = wantedSchema.parse(raw);
  const level = one<{ level: string }>(db, 'SELECT level FROM regions WHERE code = ?', input.regionCode)?.level;
  if (level !== 'county' && level !== 'township') throw new UserError('validation.wanted.region', 400, 'regionCode');
  if (!can(ctx.actor, 'wanted.manage', input.regionCode)) throw new ForbiddenError('wanted.manage', input.regionCode);
  const expiresAt = (startOfDay(input.deadline) ?? 0) + DAY;
  const now = Date.now();
  return db.transaction(() => {
    const values = [
      input.regionCode,
      input.product,
      input.category,
      input.variety,
      input.specs,
      input.quantity,
      input.unit,
      input.origin,
      input.deliveryPlace,
      input.deadline,
      expiresAt,
      input.contactMode,
      input.contactName,
      input.contactPhone,
    ];
    let wantedId: number;
    if (before) {
      stmt(
        db,
        `UPDATE wanted SET region_code = ?, product = ?, category = ?, variety = ?, specs = ?, quantity = ?, unit = ?, origin = ?, delivery_place = ?,
         deadline = ?, expires_at = ?, contact_mode = ?, contact_name = ?, contact_phone = ?, updated_at = ? WHERE id = ?`,
      ).run(...values, now, before.id);
      wantedId = before.id;
    } else {
      const sql = `INSERT INTO wanted (region_code, product, category, variety, specs, quantity, unit, origin, delivery_place, deadline, expires_at,
        contact_mode, contact_name, contact_phone, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
      wantedId = Number(stmt(db, sql).run(...values, ctx.actor.id || null, now, now).lastInsertRowid);
    }
    indexWanted(db, wantedId, input);
    // Only a new request is news to the collectors; an edit does not message them again.
    if (!before) queueMatchMessages(db, { id: wantedId, ...input }, now);
    recordAudit(db, ctx, {
      action: before ? 'wanted.update' : 'wanted.create',
      entity: 'wanted',
      entityId: String(wantedId),
      regionCode: input.regionCode,
      summary: summary(input),
    });
    return wantedId;
  }).immediate();
}

/** Closes a request (the buyer found goods or gave up): it leaves the public pages at once. */
export function closeWanted(db: Db, ctx: ChangeContext, id: number): void {
  const wanted = getManagedWanted(db, ctx.actor, id);
  refuseWantedIntent(ctx.actor, wanted, 'close');
  db.transaction(() => {
    stmt(db, "UPDATE wanted SET status = 'closed', updated_at = ? WHERE id = ?").run(Date.now(), id);
    removeDocument(db, 'wanted', String(id));
    recordAudit(db, ctx, { action: 'wanted.close', entity: 'wanted', entityId: String(id), regionCode: wanted.regionCode, summary: `product=${wanted.product}` });
  }).immediate();
}
