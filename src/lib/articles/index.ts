import type { Db } from '../db/index.ts';
import { cachedRead } from '../db/cache.ts';
import { many, one } from '../db/statements.ts';
import { withTags } from '../db/tags.ts';
import { afterKey, Where } from '../db/where.ts';
import { CODE_LENGTH } from '../regions/types.ts';
import { parseStoredDetails } from './details.ts';
import { ancestorCodes, type Article, type ArticleKind, type ArticleStatus } from './types.ts';

export * from './types.ts';

export const ARTICLE_COLUMNS = `id, region_code AS regionCode, kind, title, summary, body_md AS bodyMd, status, pinned,
  author_id AS authorId, author_role AS authorRole, published_at AS publishedAt, created_at AS createdAt, updated_at AS updatedAt,
  details, expires_at AS expiresAt, reject_reason AS rejectReason`;

/** An articles row as stored: `pinned` is SQLite's 0/1, `details` JSON text. */
export type ArticleRow = Omit<Article, 'pinned' | 'details'> & { pinned: number; details: string };

export function toArticle(row: ArticleRow | undefined): Article | undefined {
  return row && { ...row, pinned: row.pinned === 1, details: parseStoredDetails(row.details) };
}

export function getArticle(db: Db, id: number): Article | undefined {
  return toArticle(one<ArticleRow>(db, `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = ?`, id));
}

/** A published article, or undefined (drafts and unpublished articles do not exist for the public). */
export function getPublishedArticle(db: Db, id: number): Article | undefined {
  const article = getArticle(db, id);
  return article?.status === 'published' ? article : undefined;
}

export interface VisibleQuery {
  /** The region whose people look: its own articles, those of every region above it and below it. */
  regionCode: string;
  kind?: ArticleKind | undefined;
  limit?: number;
  offset?: number;
}

/**
 * Published articles seen from a region: published there, above it (a county notice reaches its
 * villages, a city notice everywhere) or below it (a county page gathers its townships' news).
 * Pinned first, then newest. Kept until articles change.
 */
export function visibleArticles(db: Db, query: VisibleQuery): { articles: Article[]; total: number } {
  return cachedRead(db, 'articles', JSON.stringify(['visible', query.regionCode, query.kind ?? null, query.limit ?? 20, query.offset ?? 0]), () => readVisible(db, query));
}

function readVisible(db: Db, query: VisibleQuery): { articles: Article[]; total: number } {
  const above = ancestorCodes(query.regionCode);
  return withTags(visibleTags(query.regionCode, above), () => readVisibleRows(db, query, above));
}

/** Articles of the region's subtree, and those published exactly at a region above it: no other write changes what it sees. */
function visibleTags(regionCode: string, above: string[]): Record<string, string[]> {
  return { articles: [`articles:in:${regionCode}`, ...above.filter((code) => code !== regionCode).map((code) => `articles:at:${code}`)] };
}

function readVisibleRows(db: Db, query: VisibleQuery, above: string[]): { articles: Article[]; total: number } {
  while (above.length < 4) above.push(query.regionCode);
  const kind = query.kind ? 'AND +kind = ?' : '';
  const kindParam = query.kind ? [query.kind] : [];
  // Two ranges of articles_region_kind instead of one OR: the region and those above it, then the
  // strict subtree below it. `+column` keeps SQLite on that index (a city page's range is every article).
  const here = `FROM articles WHERE region_code IN (?, ?, ?, ?) ${kind} AND +status = 'published'`;
  const below = `FROM articles WHERE region_code > ? AND region_code < ? ${kind} AND +status = 'published'`;
  const params = [...above, ...kindParam, query.regionCode, `${query.regionCode}:`, ...kindParam];
  const total = one<{ n: number }>(db, `SELECT (SELECT count(*) ${here}) + (SELECT count(*) ${below}) AS n`, ...params)!.n;
  // Order the index entries first and read only the page's articles. Pinning lifts an article
  // where it was published and below, not on the pages above it.
  const rows = many<ArticleRow>(
    db,
    `SELECT ${ARTICLE_COLUMNS} FROM articles JOIN (
       SELECT id AS pageId, pinned AS lifted, published_at AS at ${here} UNION ALL SELECT id, 0, published_at ${below}
       ORDER BY lifted DESC, at DESC, pageId DESC LIMIT ? OFFSET ?
     ) page ON articles.id = page.pageId
     ORDER BY page.lifted DESC, page.at DESC, page.pageId DESC`,
    ...params,
    query.limit ?? 20,
    query.offset ?? 0,
  );
  return { articles: rows.map((r) => toArticle(r)!), total };
}

type KindLimits = Partial<Record<ArticleKind, number>>;
type KindGroups = Map<ArticleKind, { articles: Article[]; total: number }>;

/**
 * `visibleArticles` for several kinds at once, up to `limits[kind]` of each (a region page's
 * blocks): the same articles and totals. Read in parts, each kept until its own articles change:
 * the articles published exactly at the region and at each region above it (the city's and a
 * county's are shared by every page below them) and those below it; then the parts are merged. One
 * read for the whole view ranked every article of the city, county and township again for each
 * village page (about 700 rows, 1–1.7 ms), and each village kept its own copy of them.
 */
export function visibleArticlesOfKinds(db: Db, regionCode: string, limits: KindLimits): KindGroups {
  const parts = ancestorCodes(regionCode).map((code) => articlesAt(db, code, limits));
  // Nothing is below a village.
  if (regionCode.length < CODE_LENGTH.village) parts.push(articlesBelow(db, regionCode, limits));
  // Pinning lifts an article where it was published and below: here, those of this region and above.
  const lifted = (a: Article) => (a.pinned && regionCode.startsWith(a.regionCode) ? 1 : 0);
  const newest = (a: Article, b: Article) => lifted(b) - lifted(a) || (b.publishedAt ?? -1) - (a.publishedAt ?? -1) || b.id - a.id;
  const kinds = Object.keys(limits) as ArticleKind[];
  return new Map(
    kinds.map((kind) => {
      const groups = parts.map((part) => part.get(kind)!);
      const articles = groups
        .flatMap((g) => g.articles)
        .sort(newest)
        .slice(0, limits[kind]);
      return [kind, { articles, total: groups.reduce((sum, g) => sum + g.total, 0) }];
    }),
  );
}

/** The published articles of each kind at exactly `code`, pinned first: the region looking or one above it. */
function articlesAt(db: Db, code: string, limits: KindLimits): KindGroups {
  return cachedRead(db, 'articles', JSON.stringify(['at', code, limits]), () =>
    withTags({ articles: [`articles:at:${code}`] }, () => readTopOfKinds(db, limits, { range: 'region_code = ?', params: [code] }, 'pinned')),
  );
}

/** The published articles of each kind strictly below `code`: pinning lifts none of them there. */
function articlesBelow(db: Db, code: string, limits: KindLimits): KindGroups {
  return cachedRead(db, 'articles', JSON.stringify(['below', code, limits]), () =>
    withTags({ articles: [`articles:in:${code}`] }, () => readTopOfKinds(db, limits, { range: 'region_code > ? AND region_code < ?', params: [code, `${code}:`] }, '0')),
  );
}

/** Every kind's count and its first `limits[kind]` rows in one pass over one range of articles_region_kind. */
function readTopOfKinds(db: Db, limits: KindLimits, where: { range: string; params: string[] }, lifted: 'pinned' | '0'): KindGroups {
  const kinds = Object.keys(limits) as ArticleKind[];
  // `+column` keeps SQLite on articles_region_kind (a city's range is every article).
  const from = `FROM articles WHERE ${where.range} AND +kind IN (${kinds.map(() => '?').join(', ')}) AND +status = 'published'`;
  const params = [...where.params, ...kinds];
  const totals = many<{ kind: ArticleKind; n: number }>(db, `SELECT kind, count(*) AS n ${from} GROUP BY kind`, ...params);
  const rows = many<ArticleRow>(
    db,
    `SELECT ${ARTICLE_COLUMNS} FROM articles JOIN (
       SELECT pageId, lifted, at, row_number() OVER (PARTITION BY pageKind ORDER BY lifted DESC, at DESC, pageId DESC) AS place FROM (
         SELECT id AS pageId, kind AS pageKind, ${lifted} AS lifted, published_at AS at ${from}
       )
     ) page ON articles.id = page.pageId AND page.place <= ?
     ORDER BY page.lifted DESC, page.at DESC, page.pageId DESC`,
    ...params,
    Math.max(0, ...kinds.map((k) => limits[k]!)),
  );
  const found: KindGroups = new Map(kinds.map((kind) => [kind, { articles: [] as Article[], total: totals.find((t) => t.kind === kind)?.n ?? 0 }]));
  for (const row of rows) {
    const group = found.get(row.kind)!;
    if (group.articles.length < limits[row.kind]!) group.articles.push(toArticle(row)!);
  }
  return found;
}

export interface PublishedFilter {
  /** Only articles published in this region's subtree. */
  within?: string | undefined;
  kind?: ArticleKind | undefined;
  limit: number;
  /** Keyset paging: only articles after this [publishedAt, id] in the newest-first order. */
  after?: readonly [number, number] | undefined;
}

/** Published articles newest first (no pinning: that is a page's presentation), and how many match. */
export function publishedArticles(db: Db, filter: PublishedFilter): { articles: Article[]; total: number } {
  const where = new Where().and("status = 'published'");
  if (filter.within) where.and("region_code LIKE ? || '%'", filter.within);
  if (filter.kind) where.and('kind = ?', filter.kind);
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM articles ${where}`, ...where.params)!.n;
  const page = filter.after ? afterKey(where.clone(), 'published_at', 'id', 'desc', filter.after) : where;
  const rows = many<ArticleRow>(db, `SELECT ${ARTICLE_COLUMNS} FROM articles ${page} ORDER BY published_at DESC, id DESC LIMIT ?`, ...page.params, filter.limit);
  return { articles: rows.map((r) => toArticle(r)!), total };
}

/**
 * Every article (any status) written in a region's subtree, for its authors; newest change first.
 * `collectorsOnly`: a collector's list, which holds collectors' own drafts, not the station's.
 */
export function articlesInScope(db: Db, scope: string, status?: ArticleStatus, collectorsOnly = false): Article[] {
  const rows = many<ArticleRow>(
    db,
    `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE region_code LIKE ? || '%' AND (? IS NULL OR status = ?) AND (? = 0 OR author_role = 'collector')
     ORDER BY updated_at DESC, id DESC LIMIT 500`,
    scope,
    status ?? null,
    status ?? null,
    collectorsOnly ? 1 : 0,
  );
  return rows.map((r) => toArticle(r)!);
}

export function countArticlesInScope(db: Db, scope: string, status: ArticleStatus): number {
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM articles WHERE region_code LIKE ? || '%' AND status = ?`, scope, status)!.n;
}

/** Collectors' articles of a region's subtree waiting for the township's review, oldest first. */
export function articleReviewQueue(db: Db, scope: string): Article[] {
  const rows = many<ArticleRow>(db, `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE status = 'pending' AND region_code LIKE ? || '%' ORDER BY updated_at, id LIMIT 200`, scope);
  return rows.map((r) => toArticle(r)!);
}

/** Published articles of one township (its information library lists them with its files). */
export function townshipArticles(db: Db, townshipCode: string, search: string, kind?: ArticleKind): Article[] {
  const like = `%${search.replace(/[%_\\]/g, '\\$&')}%`;
  const rows = many<ArticleRow>(
    db,
    `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE status = 'published' AND region_code = ? AND (? IS NULL OR kind = ?)
       AND (title LIKE ? ESCAPE '\\' OR summary LIKE ? ESCAPE '\\' OR body_md LIKE ? ESCAPE '\\')
     ORDER BY published_at DESC, id DESC LIMIT 200`,
    townshipCode,
    kind ?? null,
    kind ?? null,
    like,
    like,
    like,
  );
  return rows.map((r) => toArticle(r)!);
}
