import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleArticles, visibleArticlesOfKinds, type Article } from '../../../src/lib/articles/index.ts';
import { addLibraryFile, deleteLibraryFile, libraryFiles, prepareDocument } from '../../../src/lib/articles/library.ts';
import { samplePdf } from '../../../src/lib/articles/samplePdf.ts';
import { createArticle, deleteArticle, updateArticle, type ArticleInput } from '../../../src/lib/articles/write.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError } from '../../../src/lib/errors.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';

describe('articles, scope inheritance, the search index and the library', () => {
  const tmp = tempDir();
  let db: Db;
  const ctx = {} as Record<'county' | 'station' | 'collector' | 'admin', ChangeContext>;

  beforeAll(async () => {
    process.env.MEDIA_DIR = join(tmp.dir, 'media');
    db = await seededDb(tmp.file('articles.sqlite'), ['regions', 'articles']);
    for (const [key, role, region] of [
      ['county', 'county_staff', R.county],
      ['station', 'station_manager', R.township],
      ['collector', 'collector', R.village],
      ['admin', 'admin', R.city],
    ] as const) {
      ctx[key] = { actor: await makeUser(db, `art-${key}`, role, region), clientAddress: 'test' };
    }
  });
  afterAll(() => {
    db?.close();
    delete process.env.MEDIA_DIR;
    tmp.cleanup();
  });

  const input = (over: Partial<ArticleInput> = {}): ArticleInput => ({ regionCode: R.county, kind: 'notice', title: '测试通知', bodyMd: '正文', status: 'published', ...over });
  const seenAt = (code: string, kind?: Article['kind']) => visibleArticles(db, { regionCode: code, kind, limit: 500 }).articles.map((a) => a.id);
  const found = (q: string, within?: string) => searchDocuments(db, { q, type: 'article', within }).hits.map((h) => Number(h.id));
  const audits = (action: string, id: number) => db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ? AND entity_id = ?').get(action, String(id)) as { n: number };

  it('shows a county notice on the county, its townships and villages, and not in another county', () => {
    const notice = createArticle(db, ctx.county, input({ title: '梁园区防汛通知' }));
    for (const code of [R.city, R.county, R.township, R.village, R.siblingVillage]) expect(seenAt(code, 'notice')).toContain(notice.id);
    for (const code of [R.siblingCounty, R.otherCountyVillage]) expect(seenAt(code, 'notice')).not.toContain(notice.id);
  });

  it('shows a city article everywhere and a township article only in its own branch', () => {
    const city = createArticle(db, ctx.admin, input({ regionCode: R.city, kind: 'policy', title: '全市政策' }));
    const township = createArticle(db, ctx.station, input({ regionCode: R.township, kind: 'market', title: '街道行情' }));
    for (const code of [R.county, R.siblingCounty, R.otherCountyVillage, R.village]) expect(seenAt(code)).toContain(city.id);
    expect(seenAt(R.village)).toContain(township.id);
    expect(seenAt(R.county)).toContain(township.id);
    expect(seenAt(R.siblingTownship)).not.toContain(township.id);
  });

  it('lists pinned notices first and hides drafts and unpublished articles', () => {
    const pinned = createArticle(db, ctx.station, input({ regionCode: R.township, title: '置顶通知', pinned: 'on' }));
    const draft = createArticle(db, ctx.station, input({ regionCode: R.township, title: '草稿通知', status: 'draft' }));
    expect(seenAt(R.village, 'notice')[0]).toBe(pinned.id);
    expect(seenAt(R.city, 'notice')[0]).not.toBe(pinned.id); // pinned for its township, not for the whole city
    expect(seenAt(R.village)).not.toContain(draft.id);
    updateArticle(db, ctx.station, pinned.id, input({ regionCode: R.township, title: '置顶通知', status: 'unpublished' }));
    expect(seenAt(R.village)).not.toContain(pinned.id);
  });

  it('lets authors write only in their own subtree and audits every change with it', () => {
    const refuse = (run: () => unknown) => expect(run).toThrow(ForbiddenError);
    refuse(() => createArticle(db, ctx.station, input({ regionCode: R.county })));
    refuse(() => createArticle(db, ctx.station, input({ regionCode: R.siblingTownship })));
    refuse(() => createArticle(db, ctx.collector, input({ regionCode: R.village })));
    refuse(() => createArticle(db, ctx.county, input({ regionCode: R.siblingCounty })));
    const countyArticle = createArticle(db, ctx.county, input({ title: '县里的文章' }));
    refuse(() => updateArticle(db, ctx.station, countyArticle.id, input({ regionCode: R.township })));
    refuse(() => deleteArticle(db, ctx.station, countyArticle.id));
    expect(audits('article.create', countyArticle.id).n).toBe(1);
    updateArticle(db, ctx.county, countyArticle.id, input({ title: '县里的文章（改）' }));
    expect(audits('article.update', countyArticle.id).n).toBe(1);
  });

  it('finds articles by 1-, 2- and 4-character Chinese queries and English words, and misses the rest', () => {
    const pear = createArticle(db, ctx.county, input({ kind: 'technical', title: '鸭梨修剪', bodyMd: '冬季修剪梨树，注意保护花芽。' }));
    const chili = createArticle(db, ctx.county, input({ kind: 'market', title: '朝天椒行情', bodyMd: '本周辣椒收购价上涨。' }));
    const wheat = createArticle(db, ctx.county, input({ kind: 'technical', title: '冬小麦', bodyMd: '小麦种植要适期晚播。Wheat sowing in **October**.' }));
    const other = createArticle(db, ctx.county, input({ kind: 'technical', title: '种子与麦苗', bodyMd: '小雨后种植蔬菜，麦田除草。' }));
    expect(found('梨')).toEqual(expect.arrayContaining([pear.id]));
    expect(found('梨')).not.toContain(chili.id);
    expect(found('辣椒')).toContain(chili.id);
    expect(found('辣椒')).not.toContain(pear.id);
    expect(found('小麦种植')[0]).toBe(wheat.id);
    expect(found('小麦种植')).not.toContain(other.id); // has 种植, 小 and 麦, but not 小麦 or 麦种
    expect(found('wheat')).toEqual([wheat.id]);
    expect(found('octo')).toEqual([wheat.id]);
    expect(found('barley')).toEqual([]);
    expect(found('辣椒', R.siblingCounty)).toEqual([]);
  });

  it('keeps the index consistent after edit, unpublish and delete, in the same transaction', () => {
    const a = createArticle(db, ctx.county, input({ kind: 'technical', title: '香菇栽培', bodyMd: '香菇出菇管理。' }));
    expect(found('香菇')).toEqual([a.id]);
    updateArticle(db, ctx.county, a.id, input({ kind: 'technical', title: '木耳栽培', bodyMd: '黑木耳挂袋。' }));
    expect(found('香菇')).toEqual([]);
    expect(found('木耳')).toEqual([a.id]);
    updateArticle(db, ctx.county, a.id, input({ kind: 'technical', title: '木耳栽培', bodyMd: '黑木耳挂袋。', status: 'draft' }));
    expect(found('木耳')).toEqual([]);
    updateArticle(db, ctx.county, a.id, input({ kind: 'technical', title: '木耳栽培', bodyMd: '黑木耳挂袋。' }));
    expect(found('木耳')).toEqual([a.id]);
    deleteArticle(db, ctx.county, a.id);
    expect(found('木耳')).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM search_documents WHERE type = 'article' AND id = ?").get(String(a.id))).toEqual({ n: 0 });
    expect(audits('article.delete', a.id).n).toBe(1);
  });

  it('reads several kinds at once as it reads each kind on its own: same articles, order and totals', () => {
    // More articles than the limits, pinned and not, at every level, so each kind is cut short.
    for (const [who, region] of [
      ['admin', R.city],
      ['county', R.county],
      ['station', R.township],
      ['admin', R.village],
    ] as const) {
      for (const kind of ['notice', 'policy', 'market'] as const) {
        createArticle(db, ctx[who], input({ regionCode: region, kind, title: `${kind} ${region} 置顶`, pinned: 'on' }));
        createArticle(db, ctx[who], input({ regionCode: region, kind, title: `${kind} ${region}` }));
      }
    }
    const limits = { notice: 3, policy: 1, market: 5, jobs: 2 } as const;
    for (const code of [R.city, R.county, R.township, R.village, R.siblingVillage, R.otherCountyVillage]) {
      const together = visibleArticlesOfKinds(db, code, limits);
      expect([...together.keys()]).toEqual(Object.keys(limits));
      for (const [kind, limit] of Object.entries(limits) as [Article['kind'], number][]) {
        expect(together.get(kind), `${code} ${kind}`).toEqual(visibleArticles(db, { regionCode: code, kind, limit }));
      }
    }
    expect(visibleArticlesOfKinds(db, R.village, limits).get('notice')!.articles).toHaveLength(3);
    // The county's part is kept for every page below it: a new county notice reaches them all.
    const fresh = createArticle(db, ctx.county, input({ regionCode: R.county, kind: 'notice', title: '县里新通知', pinned: 'on' }));
    for (const code of [R.county, R.township, R.village, R.siblingVillage]) {
      expect(visibleArticlesOfKinds(db, code, limits).get('notice')!.articles[0]!.id, code).toBe(fresh.id);
    }
    expect(visibleArticlesOfKinds(db, R.otherCountyVillage, limits).get('notice')!.articles.map((a) => a.id)).not.toContain(fresh.id);
  });

  it('rolls the article back with its index row when the audit write fails', () => {
    db.exec("CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END");
    try {
      expect(() => createArticle(db, ctx.county, input({ title: '不会保存的枸杞' }))).toThrow(/audit down/);
    } finally {
      db.exec('DROP TRIGGER fail_audit');
    }
    expect(found('枸杞')).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM articles WHERE title = '不会保存的枸杞'").get()).toEqual({ n: 0 });
  });

  it('stores library files by content hash, lists and searches them, and removes unused bytes on delete', () => {
    const pdf = samplePdf(['garlic guide']);
    const meta = { townshipCode: R.township, title: '大蒜种植手册', category: 'technical', docDate: '2026-05-01' };
    const first = addLibraryFile(db, ctx.station, meta, prepareDocument({ name: 'garlic.pdf', bytes: pdf }));
    const second = addLibraryFile(db, ctx.station, { ...meta, title: '大蒜手册副本' }, prepareDocument({ name: 'copy.pdf', bytes: pdf }));
    const stored = join(process.env.MEDIA_DIR!, first.sha256.slice(0, 2), first.sha256);
    expect(first.sha256).toBe(second.sha256);
    expect(existsSync(stored)).toBe(true);
    expect(libraryFiles(db, R.township, '大蒜').map((f) => f.id)).toEqual([second.id, first.id]);
    expect(libraryFiles(db, R.township, '大蒜', 'market')).toEqual([]);
    expect(() => addLibraryFile(db, ctx.station, { ...meta, townshipCode: R.siblingTownship }, prepareDocument({ name: 'x.pdf', bytes: pdf }))).toThrow(ForbiddenError);
    expect(() => addLibraryFile(db, ctx.station, { ...meta, townshipCode: R.village }, prepareDocument({ name: 'x.pdf', bytes: pdf }))).toThrow('validation.library.township');
    deleteLibraryFile(db, ctx.station, first.id);
    expect(existsSync(stored)).toBe(true);
    deleteLibraryFile(db, ctx.station, second.id);
    expect(existsSync(stored)).toBe(false);
  });
});
