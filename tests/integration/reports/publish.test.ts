import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError } from '../../../src/lib/errors.ts';
import { adoptReport, forwardReport, getReport, readReport } from '../../../src/lib/reports/index.ts';
import { getPublishedArticle } from '../../../src/lib/articles/index.ts';
import { publishReport, type CreateArticle } from '../../../src/lib/reports/publish.ts';
import { articleFromReport } from '../../../src/lib/reports/toArticle.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('publishing an adopted report as an article', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const createArticle = articleFromReport;
  const articles = () => db.prepare('SELECT id, title, region_code AS regionCode, kind, status FROM articles ORDER BY id').all();

  beforeAll(async () => {
    db = await seededDb(tmp.file('publish.sqlite'));
    u.collector = await makeUser(db, 'col', 'collector', R.village);
    u.station = await makeUser(db, 'station', 'station_manager', R.township);
    u.county = await makeUser(db, 'county', 'county_staff', R.county);
    u.admin = await makeUser(db, 'admin', 'admin', R.city);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('creates the article and links it to the report in one transaction, once', () => {
    const r = fileAs(db, u.collector!, { title: '东街村土地流转经验', category: 'practice' });
    adoptReport(db, ctx(u.station!), r.id);
    expect(() => publishReport(db, ctx(u.station!), r.id, createArticle)).toThrow(ForbiddenError);
    forwardReport(db, ctx(u.station!), r.id);
    expect(() => publishReport(db, ctx(u.county!), r.id, createArticle)).toThrow(/reports.notAdoptedHere/);
    adoptReport(db, ctx(u.county!), r.id);

    const { articleId } = publishReport(db, ctx(u.county!), r.id, createArticle);
    expect(articles()).toEqual([{ id: articleId, title: '东街村土地流转经验', regionCode: R.village, kind: 'technical', status: 'published' }]);
    expect(getPublishedArticle(db, articleId)).toBeDefined();
    expect(searchDocuments(db, { q: '土地流转' }).hits.map((h) => h.url)).toEqual([`/articles/${articleId}`]);
    expect(getReport(db, r.id)?.articleId).toBe(articleId);
    expect(readReport(db, u.collector!, r.id).events.at(-1)).toMatchObject({ kind: 'published', levelCode: R.county, actorName: 'county' });
    expect(() => publishReport(db, ctx(u.county!), r.id, createArticle)).toThrow(/reports.alreadyPublished/);
    expect(() => publishReport(db, ctx(u.admin!), r.id, createArticle)).toThrow(/error.notFound/);
    expect(articles()).toHaveLength(1);
  });

  it('rolls the link back when the article cannot be created', () => {
    const r = fileAs(db, u.collector!, { title: '秋收进度快报' });
    forwardReport(db, ctx(u.station!), r.id);
    forwardReport(db, ctx(u.county!), r.id);
    adoptReport(db, ctx(u.admin!), r.id);
    const failing: CreateArticle = (conn, c, draft) => {
      createArticle(conn, c, draft);
      throw new Error('articles module refused');
    };
    expect(() => publishReport(db, ctx(u.admin!), r.id, failing)).toThrow('articles module refused');
    expect(getReport(db, r.id)?.articleId).toBeNull();
    expect(articles()).toHaveLength(1);
    expect(publishReport(db, ctx(u.admin!), r.id, createArticle).articleId).toBeGreaterThan(0);
  });
});
