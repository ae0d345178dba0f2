import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getArticle, type Article } from '../../../src/lib/articles/index.ts';
import { articleProposals, articlesWithOpenProposals, decideProposal, proposeChange } from '../../../src/lib/articles/proposals.ts';
import { createArticle, deleteArticle, updateArticle, type ArticleInput } from '../../../src/lib/articles/write.ts';
import type { Role } from '../../../src/lib/auth/roles.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError, UserError } from '../../../src/lib/errors.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';

type Who = 'admin' | 'county' | 'station' | 'station2' | 'siblingStation';

describe('who may change content written by a higher level', () => {
  const tmp = tempDir();
  let db: Db;
  const ctx = {} as Record<Who, ChangeContext>;

  beforeAll(async () => {
    db = await seededDb(tmp.file('levels.sqlite'), ['regions', 'articles']);
    const people: [Who, Role, string][] = [
      ['admin', 'admin', R.city],
      ['county', 'county_staff', R.county],
      ['station', 'station_manager', R.township],
      ['station2', 'station_manager', R.township],
      ['siblingStation', 'station_manager', R.siblingTownship],
    ];
    for (const [key, role, region] of people) ctx[key] = { actor: await makeUser(db, `lvl-${key}`, role, region), clientAddress: 'test' };
  });
  afterAll(() => {
    db?.close();
    tmp.cleanup();
  });

  const input = (over: Partial<ArticleInput> = {}): ArticleInput => ({ regionCode: R.township, kind: 'notice', title: '街道通知', bodyMd: '正文', status: 'published', ...over });
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
  const denied = (who: Who) => count(`SELECT count(*) AS n FROM audit_log WHERE action = 'auth.denied' AND username = ?`, `lvl-${who}`);
  const refusedAsHigherLevel = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).key).toBe('articles.error.higherLevel');
      expect((err as UserError).status).toBe(403);
      return;
    }
    throw new Error('expected a refusal');
  };

  it('refuses a station manager editing, unpublishing or deleting what county staff wrote for the township, and audits it', () => {
    const notice = createArticle(db, ctx.county, input({ title: '县里写给街道的通知' }));
    expect(notice.authorRole).toBe('county_staff');
    const before = denied('station');
    refusedAsHigherLevel(() => updateArticle(db, ctx.station, notice.id, input({ title: '被改了' })));
    refusedAsHigherLevel(() => updateArticle(db, ctx.station, notice.id, input({ title: '县里写给街道的通知', status: 'unpublished' })));
    refusedAsHigherLevel(() => deleteArticle(db, ctx.station, notice.id));
    expect(getArticle(db, notice.id)).toEqual(notice);
    expect(denied('station')).toBe(before + 3);
  });

  // [author, changer, may change]: the author's level or above, always inside the changer's region.
  const matrix: [Who, Who, boolean][] = [
    ['county', 'station', false],
    ['county', 'county', true],
    ['county', 'admin', true],
    ['admin', 'county', false],
    ['admin', 'station', false],
    ['station', 'station', true],
    ['station', 'station2', true],
    ['station', 'county', true],
    ['station', 'admin', true],
    ['station', 'siblingStation', false],
  ];
  it.each(matrix)('an article at the township written by %s: %s may change it = %s', (author, changer, allowed) => {
    const article = createArticle(db, ctx[author], input({ title: `${author} 写的` }));
    const edit = () => updateArticle(db, ctx[changer], article.id, input({ title: `${author} 写的（${changer} 改）` }));
    if (allowed) {
      expect(edit().title).toBe(`${author} 写的（${changer} 改）`);
      deleteArticle(db, ctx[changer], article.id);
      expect(getArticle(db, article.id)).toBeUndefined();
    } else {
      expect(edit).toThrow(UserError);
      expect(() => deleteArticle(db, ctx[changer], article.id)).toThrow(UserError);
      expect(getArticle(db, article.id)?.title).toBe(`${author} 写的`);
    }
  });

  it('gives seed content without an author the level of the region it was published at', () => {
    const levels = db.prepare(`SELECT length(region_code) AS len, author_role AS role FROM articles WHERE author_id IS NULL GROUP BY 1, 2 ORDER BY 1`).all();
    expect(levels).toEqual(
      expect.arrayContaining([
        { len: 4, role: 'admin' },
        { len: 6, role: 'county_staff' },
      ]),
    );
    for (const row of levels as { len: number; role: Role }[]) expect(row.role).toBe({ 4: 'admin', 6: 'county_staff', 9: 'station_manager', 12: 'collector' }[row.len]);
  });

  describe('proposed changes', () => {
    let notice: Article;
    beforeAll(() => {
      notice = createArticle(db, ctx.county, input({ title: '秋收安全生产通知', bodyMd: '旧的正文' }));
    });
    const proposal = (over: Record<string, string> = {}) => ({
      kind: 'notice',
      title: '秋收安全生产通知（更正）',
      summary: '',
      bodyMd: '更正后的正文：电话改为 0370-1234567',
      status: 'published',
      note: '电话写错了',
      ...over,
    });

    it('lets the lower level propose, audited, without changing the article', () => {
      const p = proposeChange(db, ctx.station, notice.id, proposal());
      expect(p).toMatchObject({ articleId: notice.id, state: 'open', proposer: 'lvl-station', note: '电话写错了' });
      expect(getArticle(db, notice.id)?.bodyMd).toBe('旧的正文');
      expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'article.propose' AND entity_id = ?`, String(notice.id))).toBe(1);
      expect(articlesWithOpenProposals(db, R.county).has(notice.id)).toBe(true);
      expect(articlesWithOpenProposals(db, R.siblingTownship).has(notice.id)).toBe(false);
    });

    it('refuses proposals from outside the region and from those who may edit directly', () => {
      expect(() => proposeChange(db, ctx.siblingStation, notice.id, proposal())).toThrow(ForbiddenError);
      expect(() => proposeChange(db, ctx.county, notice.id, proposal())).toThrow(expect.objectContaining({ key: 'articles.proposal.notNeeded', status: 409 }));
      expect(() => proposeChange(db, ctx.station, notice.id, proposal({ title: '' }))).toThrow();
    });

    it('lets only the author level or above decide; accepting applies the text, indexes it and audits both', () => {
      const open = articleProposals(db, notice.id).find((p) => p.state === 'open')!;
      refusedAsHigherLevel(() => decideProposal(db, ctx.station, notice.id, { proposalId: String(open.id), decision: 'accept' }));
      expect(getArticle(db, notice.id)?.bodyMd).toBe('旧的正文');

      const { article, proposal: decided } = decideProposal(db, ctx.county, notice.id, { proposalId: String(open.id), decision: 'accept' });
      expect(decided.state).toBe('accepted');
      expect(article).toMatchObject({
        title: '秋收安全生产通知（更正）',
        bodyMd: '更正后的正文：电话改为 0370-1234567',
        authorRole: 'county_staff',
        regionCode: notice.regionCode,
        status: 'published',
      });
      expect(searchDocuments(db, { q: '秋收安全生产通知（更正）', type: 'article' }).hits.map((h) => Number(h.id))).toContain(notice.id);
      expect(
        count(`SELECT count(*) AS n FROM audit_log WHERE action IN ('article.update', 'article.proposal.accept') AND entity_id = ? AND username = 'lvl-county'`, String(notice.id)),
      ).toBe(2);
      expect(articlesWithOpenProposals(db, R.county).has(notice.id)).toBe(false);
      // Decided once.
      expect(() => decideProposal(db, ctx.county, notice.id, { proposalId: String(open.id), decision: 'reject' })).toThrow(
        expect.objectContaining({ key: 'articles.proposal.decided', status: 409 }),
      );
    });

    it('rejects with a reason and leaves the article as it was; a proposal of another article is not found', () => {
      const p = proposeChange(db, ctx.station, notice.id, proposal({ status: 'unpublished', note: '活动结束了' }));
      const other = createArticle(db, ctx.county, input({ title: '另一篇' }));
      expect(() => decideProposal(db, ctx.county, other.id, { proposalId: String(p.id), decision: 'accept' })).toThrow(expect.objectContaining({ status: 404 }));
      const before = getArticle(db, notice.id);
      const { proposal: decided } = decideProposal(db, ctx.admin, notice.id, { proposalId: String(p.id), decision: 'reject', reason: '通知仍然有效' });
      expect(decided).toMatchObject({ state: 'rejected', reason: '通知仍然有效' });
      expect(getArticle(db, notice.id)).toEqual(before);
      expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'article.proposal.reject' AND entity_id = ?`, String(notice.id))).toBe(1);
    });
  });
});
