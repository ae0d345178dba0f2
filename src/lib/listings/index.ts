import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { cachedRead, type Validity } from '../db/cache.ts';
import { many, one, stmt } from '../db/statements.ts';
import { subtreeTags, withTags } from '../db/tags.ts';
import { afterKey, Where } from '../db/where.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { MAX_PHOTOS } from '../media/limits.ts';
import { markdownText } from '../articles/text.ts';
import { storeImage, type PreparedImage, type StoredImage } from '../media/images.ts';
import { checkSellerEntity } from '../directory/index.ts';
import { getRegion } from '../regions/index.ts';
import { indexDocument, matchingIdsSql, removeDocument } from '../search/index.ts';
import { matchExpression } from '../search/tokens.ts';
import { listingSchema, rejectSchema } from './schema.ts';
import type { Category, CertificateEntry, Certification, DeliveryOption, Listing, ListingFields, PublicListing, Spec } from './types.ts';
import type { ChangeContext } from '../context.ts';

export * from './types.ts';

const DAY = 24 * 3600_000;

/** How long an approved listing stays public unless renewed (`LISTING_TTL_DAYS`, default 90). */
export function ttlMs(): number {
  return config().LISTING_TTL_DAYS * DAY;
}

/** Listings expiring within this window are flagged to their collector. */
export const EXPIRY_WARNING_MS = 14 * DAY;

const fields = (t: string) => `${t}.title, ${t}.category, ${t}.description_md AS descriptionMd, ${t}.price_fen AS priceFen,
  ${t}.price_unit AS priceUnit, ${t}.quantity, ${t}.supply_from AS supplyFrom, ${t}.supply_to AS supplyTo,
  ${t}.contact_name AS contactName, ${t}.contact_phone AS contactPhone, ${t}.contact_wechat AS contactWechat, ${t}.variety, ${t}.specs, ${t}.min_order_qty AS minOrderQty,
  ${t}.min_order_unit AS minOrderUnit, ${t}.ship_from AS shipFrom, ${t}.delivery, ${t}.certifications, ${t}.seller_type AS sellerType,
  ${t}.seller_entity_id AS sellerEntityId, ${t}.sold_out AS soldOut`;
const WORKING = `SELECT l.id, l.village_code AS villageCode, l.status, l.reject_reason AS rejectReason, l.created_by AS createdBy,
  l.created_at AS createdAt, l.updated_at AS updatedAt, p.expires_at AS expiresAt, ${fields('l')}
  FROM listings l LEFT JOIN listing_public p ON p.listing_id = l.id`;
const PUBLIC = `SELECT p.listing_id AS id, p.village_code AS villageCode, p.photos, p.published_at AS publishedAt,
  p.expires_at AS expiresAt, ${fields('p')} FROM listing_public p`;

/** The public copies of listings: the tables whose writes 0042_cache_tags.sql tags by village. */
const PUBLIC_TABLES = ['listing_public', 'listing_public_photos', 'listing_public_certifications'];

/** The end of a code-prefix range: every code starting with `prefix` sorts between the two. */
const rangeEnd = (prefix: string) => `${prefix}:`;

function photosOf(db: Db, id: number): StoredImage[] {
  return many<StoredImage>(
    db,
    `SELECT m.sha256, m.width, m.height FROM listing_photos lp JOIN media m ON m.sha256 = lp.sha256
     WHERE lp.listing_id = ? ORDER BY lp.position`,
    id,
  );
}

/** The structured details as stored: JSON text, and sold_out as 0/1. */
type StoredDetails = { specs: string; delivery: string; certifications: string; soldOut: number };
type Decoded = Pick<ListingFields, 'specs' | 'delivery' | 'certifications'> & { soldOut: boolean };

function decode(row: StoredDetails): Decoded {
  return {
    specs: JSON.parse(row.specs) as Spec[],
    delivery: JSON.parse(row.delivery) as DeliveryOption[],
    certifications: JSON.parse(row.certifications) as CertificateEntry[],
    soldOut: row.soldOut === 1,
  };
}

type WorkingRow = Omit<Listing, 'photos' | keyof Decoded> & StoredDetails;

function withPhotos(db: Db, row: WorkingRow | undefined): Listing | undefined {
  return row && { ...row, ...decode(row), photos: photosOf(db, row.id) };
}

/** A listing_public row as stored: `photos` is a JSON array. */
type PublicRow = Omit<PublicListing, 'photos' | keyof Decoded> & StoredDetails & { photos: string };

function publicRow(row: PublicRow | undefined): PublicListing | undefined {
  return row && { ...row, ...decode(row), photos: JSON.parse(row.photos) as StoredImage[] };
}

export function getListing(db: Db, id: number): Listing | undefined {
  return withPhotos(db, one<WorkingRow>(db, `${WORKING} WHERE l.id = ?`, id));
}

/** The listing if the actor may edit it; a 404 otherwise, so other villages' drafts do not leak. */
export function getEditableListing(db: Db, actor: Actor, id: number): Listing {
  const listing = getListing(db, id);
  if (!listing) throw new UserError('error.notFound', 404);
  if (!can(actor, 'listing.edit', listing.villageCode)) throw new ForbiddenError('listing.edit', listing.villageCode, { asNotFound: true });
  return listing;
}

/** The structured details' columns, in the order `detailValues` gives them. */
const DETAIL_COLUMNS = ['variety', 'specs', 'min_order_qty', 'min_order_unit', 'ship_from', 'delivery', 'certifications', 'seller_type', 'seller_entity_id', 'contact_wechat'];

function detailValues(f: ListingFields): (string | number | null)[] {
  return [
    f.variety,
    JSON.stringify(f.specs),
    f.minOrderQty,
    f.minOrderUnit,
    f.shipFrom,
    JSON.stringify(f.delivery),
    JSON.stringify(f.certifications),
    f.sellerType,
    f.sellerEntityId,
    f.contactWechat,
  ];
}

function summary(fields: ListingFields, photos: number): string {
  return `title=${fields.title} category=${fields.category} price=${fields.priceFen ?? 'negotiable'}/${fields.priceUnit} photos=${photos}`;
}

export interface SaveListingInput {
  /** The village of a new listing (ignored when editing: a listing never changes village). */
  villageCode?: string;
  fields: unknown;
  /** Photos already on the listing to keep, in order (SHA-256). */
  keep: string[];
  /** New uploads, checked by prepareImage but not yet stored. */
  uploads: PreparedImage[];
  /** `submit` sends the listing for review; `draft` keeps an unpublished listing as a draft. */
  intent: 'draft' | 'submit';
}

/** What can be done to a listing: its editor's buttons, the review queue's buttons, and every write's check. */
export const LISTING_INTENTS = ['draft', 'submit', 'renew', 'soldOut', 'restock', 'archive', 'approve', 'reject'] as const;
export type ListingIntent = (typeof LISTING_INTENTS)[number];

type IntentState = Pick<Listing, 'villageCode' | 'status' | 'expiresAt' | 'soldOut'>;

/**
 * Editors save (a public listing only back to review), renew a public one, mark it sold out for
 * now or back in stock, and archive; reviewers approve or reject a pending one. Nothing changes
 * an archived listing.
 */
export function allowedIntents(actor: Actor, listing: IntentState): ListingIntent[] {
  const allowed: ListingIntent[] = [];
  if (can(actor, 'listing.edit', listing.villageCode) && listing.status !== 'archived') {
    allowed.push(...(listing.expiresAt === null ? (['draft', 'submit'] as const) : (['submit', 'renew', listing.soldOut ? 'restock' : 'soldOut'] as const)), 'archive');
  }
  if (can(actor, 'listing.review', listing.villageCode) && listing.status === 'pending') allowed.push('approve', 'reject');
  return allowed;
}

/** The refusal of an intent that `allowedIntents` leaves out, saying why. */
export function refuseListingIntent(actor: Actor, listing: IntentState, intent: ListingIntent): void {
  // Saving a public listing as a draft (an older form names no button) sends it back to review: a submission.
  const asked = intent === 'draft' && listing.expiresAt !== null ? 'submit' : intent;
  if (allowedIntents(actor, listing).includes(asked)) return;
  if (intent === 'approve' || intent === 'reject') {
    if (!can(actor, 'listing.review', listing.villageCode)) throw new ForbiddenError('listing.review', listing.villageCode);
    throw new UserError('listings.notPending', 409);
  }
  if (!can(actor, 'listing.edit', listing.villageCode)) throw new ForbiddenError('listing.edit', listing.villageCode, { asNotFound: true });
  if (listing.status === 'archived') throw new UserError('listings.archivedLocked', 409);
  if ((intent === 'soldOut' || intent === 'restock') && listing.expiresAt !== null) {
    throw new UserError(intent === 'soldOut' ? 'listings.alreadySoldOut' : 'listings.notSoldOut', 409);
  }
  // Editors of a listing that is not archived may do all but renew or mark a listing that is not public.
  throw new UserError('listings.notPublic', 409);
}

/**
 * Creates or edits a listing. Editing a published (or pending) listing always sends it back to
 * review; the public keeps seeing the last approved copy until a reviewer approves the new one.
 */
export function saveListing(db: Db, ctx: ChangeContext, id: number | null, input: SaveListingInput): Listing {
  const fields = listingSchema.parse(input.fields);
  const existing = id === null ? undefined : getEditableListing(db, ctx.actor, id);
  const villageCode = existing?.villageCode ?? input.villageCode ?? '';
  const village = getRegion(db, villageCode);
  if (village?.level !== 'village') throw new UserError('validation.listing.village', 400, 'villageCode');
  if (!can(ctx.actor, 'listing.edit', villageCode)) throw new ForbiddenError('listing.edit', villageCode);
  if (existing) refuseListingIntent(ctx.actor, existing, input.intent);
  checkSellerEntity(db, villageCode, fields.sellerEntityId);

  const kept = existing ? input.keep.filter((sha) => existing.photos.some((p) => p.sha256 === sha)) : [];
  const photoCount = new Set([...kept, ...input.uploads.map((u) => u.sha256)]).size;
  if (photoCount > MAX_PHOTOS) throw new UserError('media.tooManyPhotos', 400, 'photos');

  const wasPublic = existing?.expiresAt != null;
  const status = input.intent === 'submit' || wasPublic || existing?.status === 'pending' ? 'pending' : 'draft';
  const now = Date.now();
  let listingId = id ?? 0;
  db.transaction(() => {
    const stored = input.uploads.map((u) => storeImage(db, u, ctx.actor.id || null));
    const values = [
      fields.title,
      fields.category,
      fields.descriptionMd,
      fields.priceFen,
      fields.priceUnit,
      fields.quantity,
      fields.supplyFrom,
      fields.supplyTo,
      fields.contactName,
      fields.contactPhone,
      ...detailValues(fields),
    ];
    if (existing) {
      stmt(
        db,
        `UPDATE listings SET title = ?, category = ?, description_md = ?, price_fen = ?, price_unit = ?, quantity = ?,
           supply_from = ?, supply_to = ?, contact_name = ?, contact_phone = ?, ${DETAIL_COLUMNS.map((c) => `${c} = ?`).join(', ')},
           status = ?, updated_at = ? WHERE id = ?`,
      ).run(...values, status, now, existing.id);
    } else {
      listingId = Number(
        stmt(
          db,
          `INSERT INTO listings (title, category, description_md, price_fen, price_unit, quantity, supply_from, supply_to,
             contact_name, contact_phone, ${DETAIL_COLUMNS.join(', ')}, status, village_code, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${DETAIL_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)`,
        ).run(...values, status, villageCode, ctx.actor.id || null, now, now).lastInsertRowid,
      );
    }
    stmt(db, 'DELETE FROM listing_photos WHERE listing_id = ?').run(listingId);
    const order = [...new Set([...kept, ...stored.map((s) => s.sha256)])];
    order.forEach((sha, position) => stmt(db, 'INSERT INTO listing_photos (listing_id, position, sha256) VALUES (?, ?, ?)').run(listingId, position, sha));
    if (status === 'pending' && existing?.status !== 'pending') {
      stmt(db, `INSERT INTO listing_events (listing_id, kind, at, actor_id, author_id, village_code) VALUES (?, 'submitted', ?, ?, ?, ?)`).run(
        listingId,
        now,
        ctx.actor.id || null,
        existing?.createdBy ?? (ctx.actor.id || null),
        villageCode,
      );
    }
    recordAudit(db, ctx, {
      action: existing ? 'listing.update' : 'listing.create',
      entity: 'listing',
      entityId: String(listingId),
      regionCode: villageCode,
      summary: `status=${status} ${summary(fields, order.length)}`,
    });
  }).immediate();
  return getListing(db, listingId)!;
}

function reviewable(db: Db, ctx: ChangeContext, id: number, intent: 'approve' | 'reject'): Listing {
  const listing = getListing(db, id);
  if (!listing) throw new UserError('error.notFound', 404);
  refuseListingIntent(ctx.actor, listing, intent);
  return listing;
}

function listingUrl(id: number): string {
  return `/products/${id}`;
}

/** The public copy in the site search: its description as plain text (snippets never show Markdown). */
function indexListing(db: Db, id: number, villageCode: string, copy: Pick<ListingFields, 'title' | 'descriptionMd' | 'contactName' | 'variety' | 'specs'>): void {
  // The variety and spec values are what buyers type ("酥梨", "80 mm"), so they are found too.
  const specs = copy.specs.map((s) => `${s.key} ${s.value}`).join('\n');
  indexDocument(db, {
    type: 'listing',
    id: String(id),
    title: copy.title,
    body: [copy.variety, specs, markdownText(copy.descriptionMd), copy.contactName].filter(Boolean).join('\n'),
    regionCode: villageCode,
    url: listingUrl(id),
  });
}

/** Rewrites every listing document from its public copy (bodies indexed before they were plain text). */
export function reindexListings(db: Db): void {
  const rows = many<PublicRow>(db, `${PUBLIC} WHERE p.listing_id IN (SELECT CAST(id AS INTEGER) FROM search_documents WHERE type = 'listing')`);
  for (const row of rows) {
    const pub = publicRow(row)!;
    indexListing(db, pub.id, pub.villageCode, pub);
  }
}

/** Approves the pending copy: it becomes the public copy, public for the TTL from now. */
export function approveListing(db: Db, ctx: ChangeContext, id: number): void {
  db.transaction(() => {
    const l = reviewable(db, ctx, id, 'approve');
    const now = Date.now();
    stmt(
      db,
      `INSERT OR REPLACE INTO listing_public (listing_id, village_code, title, category, description_md, price_fen, price_unit,
         quantity, supply_from, supply_to, contact_name, contact_phone, ${DETAIL_COLUMNS.join(', ')}, sold_out, photos, published_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${DETAIL_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?, ?)`,
    ).run(
      l.id,
      l.villageCode,
      l.title,
      l.category,
      l.descriptionMd,
      l.priceFen,
      l.priceUnit,
      l.quantity,
      l.supplyFrom,
      l.supplyTo,
      l.contactName,
      l.contactPhone,
      ...detailValues(l),
      l.soldOut ? 1 : 0,
      JSON.stringify(l.photos),
      now,
      now + ttlMs(),
    );
    stmt(db, 'DELETE FROM listing_public_certifications WHERE listing_id = ?').run(l.id);
    for (const c of l.certifications) stmt(db, 'INSERT OR IGNORE INTO listing_public_certifications (kind, listing_id) VALUES (?, ?)').run(c.kind, l.id);
    stmt(db, `UPDATE listings SET status = 'published', reject_reason = '', updated_at = ? WHERE id = ?`).run(now, l.id);
    stmt(db, `INSERT INTO listing_events (listing_id, kind, at, actor_id, author_id, village_code) VALUES (?, 'approved', ?, ?, ?, ?)`).run(
      l.id,
      now,
      ctx.actor.id || null,
      l.createdBy,
      l.villageCode,
    );
    indexListing(db, l.id, l.villageCode, l);
    recordAudit(db, ctx, { action: 'listing.approve', entity: 'listing', entityId: String(l.id), regionCode: l.villageCode, summary: summary(l, l.photos.length) });
  }).immediate();
}

/** Sends the pending copy back with a reason the collector sees; an earlier approved copy stays public. */
export function rejectListing(db: Db, ctx: ChangeContext, id: number, raw: unknown): void {
  const { reason } = rejectSchema.parse(raw);
  db.transaction(() => {
    const l = reviewable(db, ctx, id, 'reject');
    const now = Date.now();
    stmt(db, `UPDATE listings SET status = 'rejected', reject_reason = ?, updated_at = ? WHERE id = ?`).run(reason, now, l.id);
    stmt(db, `INSERT INTO listing_events (listing_id, kind, at, actor_id, author_id, village_code) VALUES (?, 'rejected', ?, ?, ?, ?)`).run(
      l.id,
      now,
      ctx.actor.id || null,
      l.createdBy,
      l.villageCode,
    );
    recordAudit(db, ctx, { action: 'listing.reject', entity: 'listing', entityId: String(l.id), regionCode: l.villageCode, summary: `reason=${reason}` });
  }).immediate();
}

/** Takes a listing off the column for good (sold out, season over). */
export function archiveListing(db: Db, ctx: ChangeContext, id: number): void {
  db.transaction(() => {
    const l = getEditableListing(db, ctx.actor, id);
    refuseListingIntent(ctx.actor, l, 'archive');
    stmt(db, `UPDATE listings SET status = 'archived', updated_at = ? WHERE id = ?`).run(Date.now(), l.id);
    stmt(db, 'DELETE FROM listing_public WHERE listing_id = ?').run(l.id);
    removeDocument(db, 'listing', String(l.id));
    recordAudit(db, ctx, { action: 'listing.archive', entity: 'listing', entityId: String(l.id), regionCode: l.villageCode, summary: `title=${l.title}` });
  }).immediate();
}

/** Keeps an approved listing public for another TTL from now. */
export function renewListing(db: Db, ctx: ChangeContext, id: number): void {
  db.transaction(() => {
    const l = getEditableListing(db, ctx.actor, id);
    refuseListingIntent(ctx.actor, l, 'renew');
    const until = Date.now() + ttlMs();
    stmt(db, 'UPDATE listing_public SET expires_at = ? WHERE listing_id = ?').run(until, l.id);
    const pub = getPublicListing(db, l.id, 0);
    if (pub) indexListing(db, l.id, l.villageCode, pub);
    recordAudit(db, ctx, { action: 'listing.renew', entity: 'listing', entityId: String(l.id), regionCode: l.villageCode, summary: `until=${new Date(until).toISOString()}` });
  }).immediate();
}

/**
 * Marks a public listing sold out for now (暂时售罄) or back in stock. It stays public and keeps its
 * expiry; no review, since nothing the reviewer approved changes but the mark.
 */
export function setSoldOut(db: Db, ctx: ChangeContext, id: number, soldOut: boolean): void {
  db.transaction(() => {
    const l = getEditableListing(db, ctx.actor, id);
    refuseListingIntent(ctx.actor, l, soldOut ? 'soldOut' : 'restock');
    const now = Date.now();
    stmt(db, 'UPDATE listings SET sold_out = ?, updated_at = ? WHERE id = ?').run(soldOut ? 1 : 0, now, l.id);
    stmt(db, 'UPDATE listing_public SET sold_out = ? WHERE listing_id = ?').run(soldOut ? 1 : 0, l.id);
    recordAudit(db, ctx, {
      action: soldOut ? 'listing.soldOut' : 'listing.restock',
      entity: 'listing',
      entityId: String(l.id),
      regionCode: l.villageCode,
      summary: `title=${l.title}`,
    });
  }).immediate();
}

/** Removes expired listings from the search index; run now and then (they are hidden anyway). */
export function sweepExpired(db: Db, now = Date.now()): number {
  const expired = many<{ id: number }>(db, 'SELECT listing_id AS id FROM listing_public WHERE expires_at <= ?', now);
  db.transaction(() => expired.forEach((e) => removeDocument(db, 'listing', String(e.id)))).immediate();
  return expired.length;
}

// ---- Public reads: only the approved copy, only while it has not expired.

export function getPublicListing(db: Db, id: number, now = Date.now()): PublicListing | undefined {
  return publicRow(one<PublicRow>(db, `${PUBLIC} WHERE p.listing_id = ? AND p.expires_at > ?`, id, now));
}

export interface PublicFilter {
  /** A county, township or village code: listings in its subtree. */
  within?: string | undefined;
  category?: Category | undefined;
  /** Words to find, as the site search finds them. */
  q?: string | undefined;
  limit: number;
  offset?: number;
  /** Keyset paging: only listings after this [publishedAt, id] in the newest-first order, or ['price', price order, id] in the price order. */
  after?: readonly [number, number] | readonly ['price', number, number] | undefined;
  /** Exactly this variety (as typed by the collector, trimmed). */
  variety?: string | undefined;
  certification?: Certification | undefined;
  /** Listings in supply in this month (1–12). */
  month?: number | undefined;
  /** Listings a buyer of this many units can order: no minimum, or a minimum at most this (in the listing's own unit). */
  maxOrder?: number | undefined;
  /** Newest first (default) or cheapest first, 面议 last; `after` must come from the same order. */
  sort?: ListingSort | undefined;
}

export const LISTING_SORTS = ['newest', 'price'] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

/** Price order: no price (面议) sorts after any real price (at most 1e8 fen, see the schema). */
const NO_PRICE = 1_000_000_000_000;
const PRICE_ORDER = `ifnull(price_fen, ${NO_PRICE})`;

/** A listing's place in the price order (the indexed expression of listing_public_price). */
export function priceOrderOf(l: Pick<PublicListing, 'priceFen'>): number {
  return l.priceFen ?? NO_PRICE;
}

/** The span of clock times around `now` between two listing expiries: the public set is constant in it. */
function expiryWindow(db: Db, now: number): Validity {
  const before = one<{ at: number | null }>(db, 'SELECT max(expires_at) AS at FROM listing_public WHERE expires_at <= ?', now)!;
  const after = one<{ at: number | null }>(db, 'SELECT min(expires_at) AS at FROM listing_public WHERE expires_at > ?', now)!;
  return [before.at ?? -Infinity, after.at ?? Infinity];
}

/**
 * The filter as SQL. A count takes a code range, which the covering scope indexes answer alone. A
 * page names its region by equality on an index in newest-first order (a village's, a township's,
 * a county's; 0010_performance), and `+column` keeps SQLite on that index, so it stops after one
 * page instead of sorting every listing of the region.
 */
function publicWhere(filter: PublicFilter, match: string | undefined, now: number, forPage: boolean): Where {
  const where = new Where().and(`${forPage ? '+' : ''}expires_at > ?`, now);
  const within = filter.within;
  if (within && forPage) where.and(within.length === 12 ? 'village_code = ?' : `substr(village_code, 1, ${within.length}) = ?`, within);
  else if (within) where.and('village_code >= ? AND village_code < ?', within, rangeEnd(within));
  // Within a region its own index leads; a category only filters (a village's fruit is a few rows of its listings).
  if (filter.category) where.and(`${forPage && within ? '+' : ''}category = ?`, filter.category);
  // The site search's index (title, description, contact), so CJK text matches as it does on /search.
  if (match) where.and(`listing_id IN (${matchingIdsSql('listing')})`, match);
  // A variety has its own index; within a region the region's index leads and the variety only filters.
  if (filter.variety) where.and(`${forPage && within ? '+' : ''}variety = ?`, filter.variety);
  if (filter.certification) where.and('listing_id IN (SELECT listing_id FROM listing_public_certifications WHERE kind = ?)', filter.certification);
  if (filter.month) {
    where.and(
      '((supply_from <= supply_to AND ? BETWEEN supply_from AND supply_to) OR (supply_from > supply_to AND (? >= supply_from OR ? <= supply_to)))',
      filter.month,
      filter.month,
      filter.month,
    );
  }
  if (filter.maxOrder !== undefined) where.and('(min_order_qty IS NULL OR min_order_qty <= ?)', filter.maxOrder);
  return where;
}

/** Public listings, newest first, and how many match the filter (ignoring offset and `after`). */
export function listPublic(db: Db, filter: PublicFilter, now = Date.now()): { items: PublicListing[]; total: number } {
  const match = filter.q === undefined ? undefined : matchExpression(filter.q);
  if (filter.q !== undefined && !match) return { items: [], total: 0 };
  // A village's listings change only with writes in the village (cache tags, src/lib/db/tags.ts).
  const subtree = subtreeTags('listings', filter.within, PUBLIC_TABLES);
  // Computed once for the count and the page when both are read afresh.
  let window: Validity | undefined;
  const clock = { now, validity: () => (window ??= expiryWindow(db, now)) };
  const matching = [filter.within ?? '', filter.category ?? '', match ?? null, filter.variety ?? '', filter.certification ?? '', filter.month ?? 0, filter.maxOrder ?? null];
  // Counting a city's listings walks an index entry per listing: kept until listings change or one expires.
  const total = cachedRead(
    db,
    'listings',
    JSON.stringify(['count', ...matching]),
    () => {
      const where = publicWhere(filter, match, now, false);
      return withTags(subtree, () => one<{ n: number }>(db, `SELECT count(*) AS n FROM listing_public ${where}`, ...where.params)!.n);
    },
    clock,
  );
  // The page too (a village page's 24 listings, decoded), on the same terms.
  const items = cachedRead(
    db,
    'listings',
    JSON.stringify(['page', ...matching, filter.sort ?? '', filter.after ?? null, filter.limit, filter.offset ?? 0]),
    () => {
      const where = publicWhere(filter, match, now, true);
      const after = filter.after;
      const page = !after
        ? where
        : after[0] === 'price'
          ? afterKey(where, PRICE_ORDER, 'listing_id', 'asc', [after[1], after[2]])
          : afterKey(where, 'published_at', 'listing_id', 'desc', after);
      const order = filter.sort === 'price' ? `${PRICE_ORDER}, listing_id` : 'published_at DESC, listing_id DESC';
      const rows = withTags(subtree, () => many<PublicRow>(db, `${PUBLIC} ${page} ORDER BY ${order} LIMIT ? OFFSET ?`, ...page.params, filter.limit, filter.offset ?? 0));
      return rows.map((r) => publicRow(r)!);
    },
    clock,
  );
  return { items, total };
}

// ---- Work lists for signed-in users.

/** Listings of the villages in `scope`, newest change first (a collector's "my listings"). */
export function listForEditing(db: Db, scope: string): Listing[] {
  const rows = many<WorkingRow>(
    db,
    `${WORKING} WHERE l.village_code >= ? AND l.village_code < ? ORDER BY l.status = 'archived', l.updated_at DESC LIMIT 300`,
    scope,
    rangeEnd(scope),
  );
  return rows.map((r) => withPhotos(db, r)!);
}

/** Listings of `scope` waiting for review or returned (a collector's dashboard): returned ones first, then the newest change. */
export function listingsInProgress(db: Db, scope: string): Listing[] {
  const rows = many<WorkingRow>(
    db,
    `${WORKING} WHERE l.status IN ('pending', 'rejected') AND l.village_code >= ? AND l.village_code < ? ORDER BY l.status = 'rejected' DESC, l.updated_at DESC LIMIT 50`,
    scope,
    rangeEnd(scope),
  );
  return rows.map((r) => withPhotos(db, r)!);
}

export function reviewQueue(db: Db, scope: string): Listing[] {
  const rows = many<WorkingRow>(db, `${WORKING} WHERE l.status = 'pending' AND l.village_code >= ? AND l.village_code < ? ORDER BY l.updated_at LIMIT 200`, scope, rangeEnd(scope));
  return rows.map((r) => withPhotos(db, r)!);
}

/** How many live listings each of these villages has (villages without any are left out). */
export function liveListingCounts(db: Db, villageCodes: string[], now = Date.now()): Map<string, number> {
  const rows = many<{ code: string; n: number }>(
    db,
    'SELECT village_code AS code, count(*) AS n FROM listing_public WHERE village_code IN (SELECT value FROM json_each(?)) AND expires_at > ? GROUP BY village_code',
    JSON.stringify(villageCodes),
    now,
  );
  return new Map(rows.map((r) => [r.code, r.n]));
}

export function countPending(db: Db, scope: string): number {
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM listings WHERE status = 'pending' AND village_code >= ? AND village_code < ?`, scope, rangeEnd(scope))!.n;
}

export function countExpiringSoon(db: Db, scope: string, now = Date.now()): number {
  return one<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM listing_public WHERE village_code >= ? AND village_code < ? AND expires_at > ? AND expires_at <= ?`,
    scope,
    rangeEnd(scope),
    now,
    now + EXPIRY_WARNING_MS,
  )!.n;
}
