/**
 * The mixed load: what visitors do on a busy day, drawn from the generated data — many different
 * villages, filters, searches and prices — and farmers signing up for trainings.
 */
import type autocannon from 'autocannon';
import type { Db } from '../../../src/lib/db/index.ts';
import { fakePhone, pick, type Random } from './text.ts';
import { many } from '../../../src/lib/db/statements.ts';

export interface Kind {
  name: string;
  /** Statuses that are right for this request; anything else is an error. */
  expected: number[];
  /** How many of each cycle of requests a connection makes. */
  weight: number;
  request(next: Random): Pick<autocannon.Request, 'method' | 'path' | 'headers' | 'body'>;
}

/** Sign-up phones start far above the generated ones, so every sign-up is a new person. */
const FIRST_PHONE = 5_000_000;

const column = <T>(db: Db, sql: string, ...params: unknown[]): T[] =>
  db
    .prepare(sql)
    .pluck()
    .all(...params) as T[];

export function mixedKinds(db: Db, origin: string, staticPath: string, searches: string[], now = Date.now()): Kind[] {
  const villages = column<string>(db, 'SELECT DISTINCT village_code FROM listing_public ORDER BY random() LIMIT 300');
  const counties = column<string>(db, `SELECT code FROM regions WHERE level = 'county'`);
  const categories = column<string>(db, 'SELECT DISTINCT category FROM listing_public');
  const commodities = column<string>(db, 'SELECT slug FROM price_commodities');
  const articles = column<number>(db, `SELECT id FROM articles WHERE status = 'published' ORDER BY random() LIMIT 300`);
  const open = many<{ id: number; county: string }>(
    db,
    `SELECT id, county_code AS county FROM training_sessions WHERE status = 'scheduled' AND signup_deadline > ? ORDER BY random() LIMIT 100`,
    now + 3600_000,
  );
  if (open.length === 0) throw new Error('The dataset has no training open for sign-up.');
  const villagesOf = (county: string) => column<string>(db, `SELECT code FROM regions WHERE level = 'village' AND code LIKE ? || '%'`, county);
  const sessions = open.map((s) => ({ ...s, villages: villagesOf(s.county) }));
  let signups = 0;
  const get = (name: string, weight: number, path: (next: Random) => string): Kind => ({ name, expected: [200], weight, request: (next) => ({ method: 'GET', path: path(next) }) });
  return [
    get('static asset', 2, () => staticPath),
    get('home', 2, () => '/'),
    get('village page', 4, (next) => `/village/${pick(next, villages)}`),
    get('products filtered', 2, (next) => `/products?county=${pick(next, counties)}&category=${pick(next, categories)}`),
    get('search', 2, (next) => `/search?q=${encodeURIComponent(pick(next, searches))}`),
    get('price trend', 2, (next) => `/prices/${pick(next, commodities)}`),
    get('API listings', 2, (next) => `/api/v1/listings?category=${pick(next, categories)}`),
    get('article', 1, (next) => `/articles/${pick(next, articles)}`),
    get('training page', 1, (next) => `/trainings/${pick(next, sessions).id}`),
    {
      name: 'training sign-up (POST)',
      expected: [303],
      weight: 1,
      request(next) {
        const session = pick(next, sessions);
        const body = new URLSearchParams({ intent: 'signup', name: '压测报名', phone: fakePhone(FIRST_PHONE + ++signups), villageCode: pick(next, session.villages) });
        // Astro's checkOrigin refuses a form post from any other origin.
        return { method: 'POST', path: `/trainings/${session.id}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body: body.toString() };
      },
    },
  ];
}

/** One cycle of requests for a connection: each kind as often as its weight says. */
export function cycle(kinds: Kind[]): Kind[] {
  return kinds.flatMap((kind) => Array.from({ length: kind.weight }, () => kind));
}
