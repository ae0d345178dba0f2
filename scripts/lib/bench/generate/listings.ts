/**
 * Published listings as saveListing (submit) + approveListing leave them: the working copy, its
 * photo, the public copy, both review events, the audit rows and the search document.
 */
import type { Db } from '../../../../src/lib/db/index.ts';
import { ttlMs } from '../../../../src/lib/listings/index.ts';
import type { StoredImage } from '../../../../src/lib/media/images.ts';
import { random } from '../../../../src/lib/prices/seed.ts';
import { ADJECTIVES, between, CATEGORY_WEIGHTS, fakePhone, personName, pick, PRODUCTS, productDescription, type Random, weighted } from '../text.ts';
import { CERTIFICATIONS } from '../../../../src/lib/listings/types.ts';
import { auditWriter, codesAt, DAY, inChunks } from './common.ts';
import { bulkIndexer } from './search.ts';
import { many } from '../../../../src/lib/db/statements.ts';

const UNITS = [
  ['jin', 70],
  ['kg', 10],
  ['piece', 8],
  ['box', 7],
  ['negotiable', 5],
] as const;

/** Variety names as collectors type them: the product with a strain (a few hundred different ones in a city). */
const STRAINS = ['一号', '二号', '早熟', '晚熟', '红', '白', '大果', '本地'];

/**
 * The structured details of issue 21 for the /products filters: a variety on a third of the
 * listings, a minimum order on half, a certificate on one in fifty. From a random stream of their
 * own, so the rest of the generated city is the same as before they existed.
 */
function details(next: Random, product: string) {
  const variety = next() < 1 / 3 ? `${product}${pick(next, STRAINS)}` : '';
  const minOrder = next() < 0.5 ? between(next, 1, 100) * 10 : null;
  const certifications = next() < 0.02 ? [{ kind: pick(next, CERTIFICATIONS), number: `SAMPLE-${between(next, 1000, 9999)}` }] : [];
  return { variety, minOrder, minOrderUnit: minOrder === null ? null : 'jin', certifications };
}

export function generateListings(db: Db, count: number, seed: number, now = Date.now()): void {
  const next = random(seed);
  const nextDetail = random(seed + 1000);
  const villages = codesAt(db, 'village');
  // The photos the sample listings stored: generated listings reuse them, as real ones would have photos.
  const photos = many<StoredImage>(db, 'SELECT sha256, width, height FROM media ORDER BY sha256');
  const audit = auditWriter(db);
  const working = db.prepare(
    `INSERT INTO listings (village_code, status, title, category, description_md, price_fen, price_unit, quantity, supply_from, supply_to,
       contact_name, contact_phone, created_by, created_at, updated_at, variety, min_order_qty, min_order_unit, certifications)
     VALUES (?, 'published', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  const photo = db.prepare('INSERT INTO listing_photos (listing_id, position, sha256) VALUES (?, 0, ?)');
  const event = db.prepare('INSERT INTO listing_events (listing_id, kind, at, actor_id, author_id, village_code) VALUES (?, ?, ?, NULL, NULL, ?)');
  const publicCopy = db.prepare(
    `INSERT INTO listing_public (listing_id, village_code, title, category, description_md, price_fen, price_unit, quantity, supply_from,
       supply_to, contact_name, contact_phone, photos, published_at, expires_at, variety, min_order_qty, min_order_unit, certifications)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const certified = db.prepare('INSERT INTO listing_public_certifications (kind, listing_id) VALUES (?, ?)');
  const ttl = ttlMs();
  const index = bulkIndexer(db);

  inChunks(
    db,
    count,
    (i) => {
      const village = pick(next, villages);
      const category = weighted(next, CATEGORY_WEIGHTS);
      const product = pick(next, PRODUCTS[category]);
      const title = `${pick(next, ADJECTIVES)}${product}`;
      const description = productDescription(next, product);
      const unit = weighted(next, UNITS);
      const priceFen = unit === 'negotiable' ? null : between(next, 50, 20_000);
      const quantity = `约 ${between(next, 1, 500) * 10} ${unit === 'piece' ? '个' : '斤'}`;
      const [from, to] = [between(next, 1, 12), between(next, 1, 12)];
      const contactName = personName(next);
      const contactPhone = fakePhone(i);
      // Public for the whole run: approved within the last TTL, less a margin.
      const publishedAt = now - Math.floor(next() * (ttl - 2 * DAY));
      const createdAt = publishedAt - Math.floor(next() * 2 * DAY);
      const shown = next() < 0.8 && photos.length ? [pick(next, photos)] : [];
      const d = details(nextDetail, product);
      const detailValues = [d.variety, d.minOrder, d.minOrderUnit, JSON.stringify(d.certifications)];

      const id = Number(
        working.run(village, title, category, description, priceFen, unit, quantity, from, to, contactName, contactPhone, createdAt, publishedAt, ...detailValues).lastInsertRowid,
      );
      for (const p of shown) photo.run(id, p.sha256);
      event.run(id, 'submitted', createdAt, village);
      event.run(id, 'approved', publishedAt, village);
      publicCopy.run(
        id,
        village,
        title,
        category,
        description,
        priceFen,
        unit,
        quantity,
        from,
        to,
        contactName,
        contactPhone,
        JSON.stringify(shown),
        publishedAt,
        publishedAt + ttl,
        ...detailValues,
      );
      for (const c of d.certifications) certified.run(c.kind, id);
      const summary = `title=${title} category=${category} price=${priceFen ?? 'negotiable'}/${unit} photos=${shown.length}`;
      audit(createdAt, 'listing.create', 'listing', id, village, `status=pending ${summary}`);
      audit(publishedAt, 'listing.approve', 'listing', id, village, summary);
      index.add({ type: 'listing', id: String(id), title, body: `${description}\n${contactName}`, regionCode: village, url: `/products/${id}` });
    },
    index.flush,
  );
}
