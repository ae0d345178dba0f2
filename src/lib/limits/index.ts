import Database from 'better-sqlite3';
import { RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible';
import { config } from '../config.ts';
import { getDb } from '../db/index.ts';
import { RATE_LIMIT_NAMES, type RateLimit, type RateLimitName } from './config.ts';

export { RATE_LIMIT_NAMES, type RateLimitName } from './config.ts';

/**
 * The counters live in a SQLite file of their own beside the database: every process serving that
 * database shares them, and counting a search does not count as a change of the content (the page
 * cache and Last-Modified follow the content database's commits).
 */
function limitsDatabasePath(contentDatabase: string): string {
  return `${contentDatabase.replace(/\.sqlite$/, '')}.limits.sqlite`;
}

type Limiters = Record<RateLimitName, RateLimiterSQLite>;

function openLimiters(file: string, limits: Record<RateLimitName, RateLimit>): Limiters {
  const store = new Database(file);
  store.pragma('journal_mode = WAL');
  // Counters are advisory: losing the last second of them in a power cut costs nothing.
  store.pragma('synchronous = NORMAL');
  store.pragma('busy_timeout = 5000');
  const limiters = {} as Limiters;
  for (const name of RATE_LIMIT_NAMES) {
    limiters[name] = new RateLimiterSQLite({
      storeClient: store,
      storeType: 'better-sqlite3',
      tableName: 'rate_limits',
      keyPrefix: name,
      points: limits[name].points,
      duration: limits[name].seconds,
      // The first limiter creates the table (synchronously, with better-sqlite3) before the rest exist.
      tableCreated: name !== RATE_LIMIT_NAMES[0],
      clearExpiredByTimeout: true,
    });
  }
  return limiters;
}

let shared: { file: string; limiters: Limiters } | undefined;

function limiters(): Limiters {
  const file = limitsDatabasePath(getDb().name);
  if (shared?.file !== file) shared = { file, limiters: openLimiters(file, config().RATE_LIMITS) };
  return shared.limiters;
}

/**
 * Counts one request of `client` against each named limit. Returns undefined while all allow it,
 * else the seconds until the most distant of the exhausted limits allows it again.
 */
export async function consume(client: string, names: readonly RateLimitName[]): Promise<number | undefined> {
  // Most requests count against nothing: they need not touch the counters' file at all.
  if (names.length === 0) return undefined;
  const all = limiters();
  let retryAfter: number | undefined;
  for (const name of names) {
    try {
      await all[name].consume(client);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      retryAfter = Math.max(retryAfter ?? 1, Math.ceil(err.msBeforeNext / 1000));
    }
  }
  return retryAfter;
}

/** Which limits an anonymous request counts against, from its method and address alone. */
export function limitsFor(method: string, url: URL): RateLimitName[] {
  const { pathname, searchParams } = url;
  if (method === 'POST') {
    if (/^\/trainings\/[^/]+$/.test(pathname)) return ['post', 'signup'];
    // The two forms that send an SMS code; confirming a code posts elsewhere (its attempts are capped per code).
    if (pathname === '/subscribe' || pathname === '/subscribe/manage') return ['post', 'code'];
    return /^\/ask\/?$/.test(pathname) ? ['post', 'ask'] : ['post'];
  }
  if (method !== 'GET' && method !== 'HEAD') return [];
  if (pathname === '/search' && searchParams.get('q')) return ['search'];
  if (/^\/trainings\/[^/.]+$/.test(pathname) && searchParams.has('ref')) return ['ref'];
  // Unsubscribe tokens must not be guessable by trying links either.
  if (pathname.startsWith('/u/')) return ['ref'];
  // A question's reference code is its asker's key: look-ups count like a sign-up's.
  if (/^\/ask\/[^/]+$/.test(pathname)) return ['ref'];
  if (/^\/products\/\d+\/call$/.test(pathname)) return ['call'];
  if (/^\/products\/\d+\/wechat$/.test(pathname)) return ['wechat'];
  return [];
}
