/**
 * Articles and notices at every level of the region tree, as createArticle leaves them: the row,
 * its audit entry, and a search document for the published ones.
 */
import { markdownText } from '../../../../src/lib/articles/text.ts';
import type { ArticleKind, ArticleStatus } from '../../../../src/lib/articles/types.ts';
import type { Db } from '../../../../src/lib/db/index.ts';
import { random } from '../../../../src/lib/prices/seed.ts';
import { ARTICLE_TOPICS, articleBody, pick, weighted } from '../text.ts';
import { auditWriter, codesAt, DAY, inChunks } from './common.ts';
import { bulkIndexer } from './search.ts';
import { one } from '../../../../src/lib/db/statements.ts';

const LEVELS = [
  ['city', 2],
  ['county', 10],
  ['township', 40],
  ['village', 48],
] as const;
const KINDS: [ArticleKind, number][] = [
  ['notice', 30],
  ['technical', 25],
  ['market', 15],
  ['policy', 15],
  ['livelihood', 15],
];
const STATUSES: [ArticleStatus, number][] = [
  ['published', 90],
  ['draft', 5],
  ['unpublished', 5],
];
const HISTORY = 3 * 365 * DAY;

export function generateArticles(db: Db, count: number, seed: number, now = Date.now()): void {
  const next = random(seed);
  const city = one<{ code: string }>(db, `SELECT code FROM regions WHERE level = 'city'`)!.code;
  const codes = { city: [city], county: codesAt(db, 'county'), township: codesAt(db, 'township'), village: codesAt(db, 'village') };
  const audit = auditWriter(db);
  const index = bulkIndexer(db);
  const insert = db.prepare(
    `INSERT INTO articles (region_code, kind, title, summary, body_md, status, pinned, author_id, published_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  );

  inChunks(
    db,
    count,
    (i) => {
      const region = pick(next, codes[weighted(next, LEVELS)]);
      const kind = weighted(next, KINDS);
      const status = weighted(next, STATUSES);
      const topic = pick(next, ARTICLE_TOPICS);
      const title = `${topic}${kind === 'notice' ? '通知' : '信息'}（第${i + 1}号）`;
      const summary = next() < 0.5 ? `${topic}相关事项，请及时了解。` : '';
      const body = articleBody(next, topic);
      const pinned = kind === 'notice' && region.length <= 6 && next() < 0.05 ? 1 : 0;
      const createdAt = now - Math.floor(next() * HISTORY);
      const publishedAt = status === 'draft' ? null : createdAt;
      const id = Number(insert.run(region, kind, title, summary, body, status, pinned, publishedAt, createdAt, createdAt).lastInsertRowid);
      audit(createdAt, 'article.create', 'article', id, region, `kind=${kind} status=${status}${pinned ? ' pinned' : ''} title=${title}`);
      if (status === 'published') {
        index.add({ type: 'article', id: String(id), title, body: [summary, markdownText(body)].filter(Boolean).join(' '), regionCode: region, url: `/articles/${id}` });
      }
    },
    index.flush,
  );
}
