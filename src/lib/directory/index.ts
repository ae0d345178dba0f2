import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { afterKey, Where } from '../db/where.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { indexDocument, removeDocument } from '../search/index.ts';
import { optionalPhoneSchema } from '../validation/phone.ts';
import { isCreditCode } from './creditCode.ts';
import { ENTITY_KINDS, MAX_TAGS, TAG_MAX, type Entity, type EntityKind, type EntityStatus, type PublicEntity } from './types.ts';

export * from './types.ts';

const text = (max: number) => z.string().trim().max(max, 'validation.tooLong').default('');

/** Tags as typed: separated by commas (either width), 、 or spaces; repeats dropped. */
export function splitTags(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[,，、;；\s]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

const tagsSchema = z
  .string()
  .default('')
  .transform(splitTags)
  .refine((tags) => tags.length <= MAX_TAGS && tags.every((t) => t.length <= TAG_MAX), 'validation.directory.tags');

/** Upper-cased without spaces; empty means none. */
const creditCodeSchema = z
  .string()
  .default('')
  .transform((v) => v.replace(/\s/g, '').toUpperCase())
  .refine((v) => v === '' || isCreditCode(v), 'validation.directory.creditCode')
  .transform((v) => (v === '' ? null : v));

export const entitySchema = z.object({
  kind: z.enum(ENTITY_KINDS, 'validation.directory.kind'),
  name: z.string('validation.directory.name').trim().min(2, 'validation.directory.name').max(60, 'validation.directory.name'),
  regionCode: z
    .string('validation.directory.region')
    .trim()
    .regex(/^\d{6}(\d{3}){0,2}$/, 'validation.directory.region'),
  tags: tagsSchema,
  certifications: text(200),
  creditCode: creditCodeSchema,
  contactName: text(30),
  contactPhone: optionalPhoneSchema.prefault(''),
  // A checkbox: present ("on") when ticked.
  contactPublic: z
    .string()
    .optional()
    .transform((v) => v === 'on' || v === '1' || v === 'true'),
  description: text(500),
  expertUserId: z
    .string()
    .trim()
    .max(64)
    .default('')
    .transform((v) => (v === '' ? null : v)),
});
export type EntityInput = z.output<typeof entitySchema>;

type Row = Omit<Entity, 'tags' | 'contactPublic'> & { tags: string; contactPublic: number };

const SELECT = `SELECT e.id, e.kind, e.name, e.region_code AS regionCode, r.short_name AS regionName,
  coalesce((SELECT json_group_array(tag) FROM (SELECT tag FROM directory_tags t WHERE t.entity_id = e.id ORDER BY tag)), '[]') AS tags,
  e.certifications, e.credit_code AS creditCode, e.description, e.expert_user_id AS expertUserId, e.contact_name AS contactName,
  e.contact_phone AS contactPhone, e.contact_public AS contactPublic, e.status, e.created_by AS createdBy, e.created_at AS createdAt,
  e.updated_at AS updatedAt
  FROM directory_entities e JOIN regions r ON r.code = e.region_code`;

function entity(row: Row | undefined): Entity | undefined {
  return row && { ...row, tags: JSON.parse(row.tags) as string[], contactPublic: row.contactPublic === 1 };
}

/** The public fields only: the staff-only contact and the workflow never leave the admin. */
export function publicView(e: Entity): PublicEntity {
  const { contactName: _n, contactPhone: _p, contactPublic: _c, status: _s, createdBy: _b, ...shown } = e;
  return shown;
}

/** The contact the public may see: the entry's own when it is marked public, else nothing. */
export function publicContact(e: Pick<Entity, 'contactName' | 'contactPhone' | 'contactPublic'>): { name: string; phone: string } | undefined {
  return e.contactPublic && (e.contactName || e.contactPhone) ? { name: e.contactName, phone: e.contactPhone } : undefined;
}

export function getEntity(db: Db, id: number): Entity | undefined {
  return entity(one<Row>(db, `${SELECT} WHERE e.id = ?`, id));
}

/** An entry the actor may manage; out of scope answers like an unknown id. */
export function getManagedEntity(db: Db, actor: Actor, id: number): Entity {
  const found = getEntity(db, id);
  if (!found) throw new UserError('error.notFound', 404);
  if (!can(actor, 'directory.manage', found.regionCode)) throw new ForbiddenError('directory.manage', found.regionCode, { asNotFound: true });
  return found;
}

/** The entries in `scope` and below for the admin list: proposals first, then by name. */
export function entitiesWithin(db: Db, scope: string): Entity[] {
  return many<Row>(db, `${SELECT} WHERE e.region_code LIKE ? || '%' ORDER BY e.status <> 'proposed', e.status = 'rejected', e.name, e.id LIMIT 1000`, scope).map((r) => entity(r)!);
}

/** The regions an actor may file entries under (counties, townships, villages in scope), for the form. */
export function entityRegionsFor(db: Db, actor: Actor): { code: string; label: string }[] {
  if (!can(actor, 'directory.propose', actor.regionCode)) return [];
  return many<{ code: string; label: string }>(
    db,
    `SELECT code, name AS label FROM regions WHERE code LIKE ? || '%' AND level IN ('county', 'township', 'village') ORDER BY code LIMIT 5000`,
    actor.regionCode,
  );
}

/** The expert accounts an expert entry in the actor's scope can name. */
export function expertAccountsFor(db: Db, actor: Actor): { id: string; name: string }[] {
  return many<{ id: string; name: string }>(
    db,
    `SELECT id, coalesce(nullif(display_name, ''), username) AS name FROM users
     WHERE role = 'expert' AND disabled = 0 AND (region_code LIKE ? || '%' OR ? LIKE region_code || '%') ORDER BY name`,
    actor.regionCode,
    actor.regionCode,
  );
}

export const entityHref = (id: number) => `/directory/${id}`;

/** The words an entry is found by: tags, certifications and description; never a contact. */
export function entityText(e: Pick<EntityInput, 'tags' | 'certifications' | 'description'>): string {
  return [e.tags.join(' '), e.certifications, e.description].filter(Boolean).join('\n');
}

/** Public in the site search while approved; out of it otherwise. */
function syncSearch(db: Db, id: number, status: EntityStatus, e: Pick<EntityInput, 'name' | 'regionCode' | 'tags' | 'certifications' | 'description'>): void {
  if (status !== 'approved') {
    removeDocument(db, 'directory', String(id));
    return;
  }
  indexDocument(db, { type: 'directory', id: String(id), title: e.name, body: entityText(e), regionCode: e.regionCode, url: entityHref(id) });
}

/**
 * Why an entry cannot be stored as given, or undefined: an unknown region or one outside the
 * county tree, an expert account that is not an expert (or on a non-expert entry), and a duplicate
 * (the same credit code, or the same name in the same region, among entries not rejected).
 */
export function entityProblem(
  db: Db,
  input: Pick<EntityInput, 'kind' | 'name' | 'regionCode' | 'creditCode' | 'expertUserId'>,
  exceptId: number | null,
): { key: 'validation.directory.region' | 'validation.directory.expert' | 'validation.directory.duplicateCode' | 'validation.directory.duplicateName'; field: string } | undefined {
  const level = one<{ level: string }>(db, 'SELECT level FROM regions WHERE code = ?', input.regionCode)?.level;
  if (level !== 'county' && level !== 'township' && level !== 'village') return { key: 'validation.directory.region', field: 'regionCode' };
  if (input.expertUserId !== null) {
    const role = one<{ role: string }>(db, 'SELECT role FROM users WHERE id = ?', input.expertUserId)?.role;
    if (input.kind !== 'expert' || role !== 'expert') return { key: 'validation.directory.expert', field: 'expertUserId' };
  }
  const other = exceptId ?? 0;
  if (input.creditCode !== null && one(db, "SELECT 1 AS x FROM directory_entities WHERE credit_code = ? AND status <> 'rejected' AND id <> ?", input.creditCode, other)) {
    return { key: 'validation.directory.duplicateCode', field: 'creditCode' };
  }
  if (one(db, "SELECT 1 AS x FROM directory_entities WHERE region_code = ? AND name = ? AND status <> 'rejected' AND id <> ?", input.regionCode, input.name, other)) {
    return { key: 'validation.directory.duplicateName', field: 'name' };
  }
  return undefined;
}

function summary(v: EntityInput): string {
  return `kind=${v.kind} name=${v.name} region=${v.regionCode} code=${v.creditCode ?? ''} tags=${v.tags.join(',')} contactPublic=${v.contactPublic}`;
}

/** Writes a checked entry (new when `id` is null) with its tags; no checks, no audit: the callers do both. */
export function writeEntity(db: Db, ctx: ChangeContext, id: number | null, input: EntityInput, status: EntityStatus, now: number): number {
  const values = [
    input.kind,
    input.name,
    input.regionCode,
    input.certifications,
    input.creditCode,
    input.contactName,
    input.contactPhone,
    input.contactPublic ? 1 : 0,
    input.description,
    input.expertUserId,
  ];
  let entityId: number;
  if (id !== null) {
    stmt(
      db,
      `UPDATE directory_entities SET kind = ?, name = ?, region_code = ?, certifications = ?, credit_code = ?, contact_name = ?, contact_phone = ?,
       contact_public = ?, description = ?, expert_user_id = ?, status = ?, updated_at = ? WHERE id = ?`,
    ).run(...values, status, now, id);
    entityId = id;
  } else {
    entityId = Number(
      stmt(
        db,
        `INSERT INTO directory_entities (kind, name, region_code, certifications, credit_code, contact_name, contact_phone, contact_public, description,
         expert_user_id, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(...values, status, ctx.actor.id || null, now, now).lastInsertRowid,
    );
  }
  stmt(db, 'DELETE FROM directory_tags WHERE entity_id = ?').run(entityId);
  for (const tag of input.tags) stmt(db, 'INSERT INTO directory_tags (tag, entity_id) VALUES (?, ?)').run(tag, entityId);
  syncSearch(db, entityId, status, input);
  return entityId;
}

/**
 * Creates (id null) or edits an entry. County staff's new entries are approved at once; a
 * collector's or station manager's are proposals in their own scope that county staff review.
 * Editing is for county staff and keeps the entry's status.
 */
export function saveEntity(db: Db, ctx: ChangeContext, id: number | null, raw: unknown): number {
  const before = id === null ? undefined : getManagedEntity(db, ctx.actor, id);
  const input = entitySchema.parse(raw);
  const manages = can(ctx.actor, 'directory.manage', input.regionCode);
  if (before && !manages) throw new ForbiddenError('directory.manage', input.regionCode);
  if (!manages && !can(ctx.actor, 'directory.propose', input.regionCode)) throw new ForbiddenError('directory.propose', input.regionCode);
  const status: EntityStatus = before ? before.status : manages ? 'approved' : 'proposed';
  return db
    .transaction(() => {
      const problem = entityProblem(db, input, before?.id ?? null);
      if (problem) throw new UserError(problem.key, problem.key.startsWith('validation.directory.duplicate') ? 409 : 400, problem.field);
      const entityId = writeEntity(db, ctx, before?.id ?? null, input, status, Date.now());
      recordAudit(db, ctx, {
        action: before ? 'directory.update' : manages ? 'directory.create' : 'directory.propose',
        entity: 'directory',
        entityId: String(entityId),
        regionCode: input.regionCode,
        summary: summary(input),
      });
      return entityId;
    })
    .immediate();
}

export const DIRECTORY_INTENTS = ['save', 'approve', 'reject'] as const;
export type DirectoryIntent = (typeof DIRECTORY_INTENTS)[number];

/** County staff of the entry's region edit it, approve it unless approved, reject it unless rejected. */
export function allowedDirectoryIntents(actor: Actor, e: Pick<Entity, 'regionCode' | 'status'>): DirectoryIntent[] {
  if (!can(actor, 'directory.manage', e.regionCode)) return [];
  return ['save', ...(e.status === 'approved' ? [] : (['approve'] as const)), ...(e.status === 'rejected' ? [] : (['reject'] as const))];
}

export function refuseDirectoryIntent(actor: Actor, e: Pick<Entity, 'regionCode' | 'status'>, intent: DirectoryIntent): void {
  if (allowedDirectoryIntents(actor, e).includes(intent)) return;
  if (!can(actor, 'directory.manage', e.regionCode)) throw new ForbiddenError('directory.manage', e.regionCode, { asNotFound: true });
  throw new UserError('directory.statusUnchanged', 409);
}

/**
 * Approves (public from now) or rejects (out of the public pages, the search and listings' seller
 * choice) an entry. Approving re-checks duplicates: a rejected proposal may since have been entered again.
 */
export function reviewEntity(db: Db, ctx: ChangeContext, id: number, intent: 'approve' | 'reject'): void {
  db.transaction(() => {
    const e = getManagedEntity(db, ctx.actor, id);
    refuseDirectoryIntent(ctx.actor, e, intent);
    const status: EntityStatus = intent === 'approve' ? 'approved' : 'rejected';
    if (intent === 'approve') {
      const problem = entityProblem(db, e, e.id);
      if (problem) throw new UserError(problem.key, 409);
    }
    stmt(db, 'UPDATE directory_entities SET status = ?, updated_at = ? WHERE id = ?').run(status, Date.now(), id);
    syncSearch(db, id, status, e);
    recordAudit(db, ctx, { action: `directory.${intent}`, entity: 'directory', entityId: String(id), regionCode: e.regionCode, summary: `name=${e.name}` });
  }).immediate();
}

// ── Public reads ──────────────────────────────────────────────────────────────────────────────

/** An approved entry, or undefined (proposed, rejected and unknown look alike). */
export function publicEntity(db: Db, id: number): Entity | undefined {
  return entity(one<Row>(db, `${SELECT} WHERE e.id = ? AND e.status = 'approved'`, id));
}

export interface PublicEntityQuery {
  kind?: EntityKind | undefined;
  /** Entries in this region's subtree (a county code). */
  within?: string | undefined;
  tag?: string | undefined;
  limit: number;
  offset?: number;
  /** Keyset paging for the API: entries after this [createdAt, id], newest first. */
  after?: readonly [number, number] | undefined;
}

/** Approved entries, newest first, with their number. */
export function publicEntities(db: Db, query: PublicEntityQuery): { items: Entity[]; total: number } {
  const where = new Where().and("e.status = 'approved'");
  if (query.kind) where.and('e.kind = ?', query.kind);
  if (query.within) where.and("e.region_code LIKE ? || '%'", query.within);
  if (query.tag) where.and('e.id IN (SELECT entity_id FROM directory_tags WHERE tag = ?)', query.tag);
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM directory_entities e ${where}`, ...where.params)!.n;
  const page = query.after ? afterKey(where.clone(), 'e.created_at', 'e.id', 'desc', query.after) : where;
  const items = many<Row>(db, `${SELECT} ${page} ORDER BY e.created_at DESC, e.id DESC LIMIT ? OFFSET ?`, ...page.params, query.limit, query.offset ?? 0);
  return { items: items.map((r) => entity(r)!), total };
}

/** The most used tags of approved entries, for the filter's suggestions. */
export function popularTags(db: Db, limit = 30): string[] {
  return many<{ tag: string }>(
    db,
    `SELECT t.tag FROM directory_tags t JOIN directory_entities e ON e.id = t.entity_id WHERE e.status = 'approved'
     GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT ?`,
    limit,
  ).map((r) => r.tag);
}

export interface EntityListing {
  id: number;
  title: string;
  villageName: string;
  soldOut: boolean;
}

/** The live listings naming an entry as their seller, newest first. */
export function entityListings(db: Db, entityId: number, now = Date.now()): EntityListing[] {
  return many<{ id: number; title: string; villageName: string; soldOut: number }>(
    db,
    `SELECT p.listing_id AS id, p.title, r.short_name AS villageName, p.sold_out AS soldOut FROM listing_public p JOIN regions r ON r.code = p.village_code
     WHERE p.seller_entity_id = ? AND p.expires_at > ? ORDER BY p.published_at DESC LIMIT 100`,
    entityId,
    now,
  ).map((l) => ({ ...l, soldOut: l.soldOut === 1 }));
}

/** Whether the expert account an entry names can be shown (an enabled expert). */
export function linkedExpert(db: Db, e: Pick<Entity, 'kind' | 'expertUserId'>): { name: string } | undefined {
  if (e.kind !== 'expert' || e.expertUserId === null) return undefined;
  return one<{ name: string }>(db, `SELECT coalesce(nullif(display_name, ''), username) AS name FROM users WHERE id = ? AND role = 'expert' AND disabled = 0`, e.expertUserId);
}

// ── Listings' seller ──────────────────────────────────────────────────────────────────────────

/** The county a village lies in (its first six digits). */
const countyOf = (code: string) => code.slice(0, 6);

/** The approved producers (not experts) of a village's county a listing can name as its seller. */
export function sellerChoices(db: Db, villageCode: string): { id: number; name: string; kind: EntityKind }[] {
  return many<{ id: number; name: string; kind: EntityKind }>(
    db,
    `SELECT id, name, kind FROM directory_entities WHERE status = 'approved' AND kind <> 'expert' AND region_code LIKE ? || '%' ORDER BY name, id`,
    countyOf(villageCode),
  );
}

/** Refuses a seller entity that is not an approved producer of the listing's county. */
export function checkSellerEntity(db: Db, villageCode: string, entityId: number | null): void {
  if (entityId === null) return;
  if (!sellerChoices(db, villageCode).some((c) => c.id === entityId)) throw new UserError('validation.listing.sellerEntity', 400, 'sellerEntityId');
}

/** The seller entity a listing names, if it is still public. */
export function sellerEntity(db: Db, entityId: number | null): { id: number; name: string; kind: EntityKind } | undefined {
  if (entityId === null) return undefined;
  return one<{ id: number; name: string; kind: EntityKind }>(db, "SELECT id, name, kind FROM directory_entities WHERE id = ? AND status = 'approved'", entityId);
}
