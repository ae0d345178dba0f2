import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteLibraryFile } from '../../../src/lib/articles/library.ts';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { approveListing, saveListing } from '../../../src/lib/listings/index.ts';
import { toLocalInput } from '../../../src/lib/trainings/schemas.ts';
import { createSession } from '../../../src/lib/trainings/sessions.ts';
import { indexDocument } from '../../../src/lib/search/index.ts';
import { runSearch, type Segment } from '../../../src/lib/search/query.ts';
import { runSeeds, SEED_STEPS } from '../../../src/lib/seed/index.ts';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const text = (segments: Segment[]) => segments.map((s) => s.text).join('');

describe('what the site search shows', () => {
  const tmp = tempDir();
  let db: Db;
  let collector: Actor;
  let station: Actor;
  let county: Actor;
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const results = (q: string) => {
    const outcome = runSearch(db, { q });
    if (outcome.state !== 'results') throw new Error(`no results state for ${q}: ${outcome.state}`);
    return outcome.hits;
  };

  beforeAll(async () => {
    db = await seededDb(tmp.file('documents.sqlite'), ['regions', 'articles', 'sample-prices']);
    collector = await makeUser(db, 'col-doc', 'collector', R.village);
    station = await makeUser(db, 'station-doc', 'station_manager', R.township);
    county = await makeUser(db, 'county-doc', 'county_staff', R.county);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('cuts listing snippets from plain text, not Markdown', () => {
    const descriptionMd = '*这是今年新摘的* **黄心** 红薯，[详情](https://example.org/x)\n\n- 个大\n- 皮薄';
    const l = saveListing(db, ctx(collector), null, {
      villageCode: R.village,
      fields: listingFields({ title: '黄心红薯', descriptionMd }),
      keep: [],
      uploads: [],
      intent: 'submit',
    });
    approveListing(db, ctx(station), l.id);
    const hit = results('新摘').find((h) => h.url === `/products/${l.id}`)!;
    expect(text(hit.snippet)).toContain('这是今年新摘的 黄心 红薯， 详情 个大 皮薄');
    expect(text(hit.snippet)).not.toMatch(/[*[\]()]|https?:/);
  });

  it('cuts training snippets from plain text, not Markdown', () => {
    const startsAt = Date.now() + 10 * 24 * 3600_000;
    const id = createSession(db, ctx(county), {
      countyCode: R.county,
      title: '蘑菇大棚管理',
      topic: '食用菌',
      descriptionMd: '**请带上** 身份证和 *笔记本*',
      startsAt: toLocalInput(startsAt),
      endsAt: toLocalInput(startsAt + 3 * 3600_000),
      signupDeadline: toLocalInput(startsAt - 24 * 3600_000),
      capacity: '30',
    });
    const hit = results('身份证').find((h) => h.url === `/trainings/${id}`)!;
    expect(text(hit.snippet)).toContain('请带上 身份证和 笔记本');
    expect(text(hit.snippet)).not.toContain('*');
  });

  it('finds a commodity by its English name without quoting it to Chinese readers', () => {
    const byEnglish = results('pears').filter((h) => h.type === 'price');
    expect(byEnglish.map((h) => h.title)).toContain('梨');
    const pear = results('梨').find((h) => h.type === 'price' && h.title === '梨')!;
    expect(text(pear.snippet)).toBe('元/斤');
  });

  it('finds township library files by title, until they are deleted', async () => {
    const hits = results('明白纸').filter((h) => h.type === 'library');
    expect(hits.map((h) => h.title)).toEqual(['（示例）小麦病虫害防治明白纸']);
    const [hit] = hits;
    expect(hit!.url).toMatch(/^\/library\/files\/\d+$/);
    expect(hit!.regionCode).toBe(R.township);
    expect(runSearch(db, { q: '明白纸', type: 'library', county: R.siblingCounty })).toMatchObject({ state: 'results', total: 0 });
    deleteLibraryFile(db, ctx(station), Number(hit!.url.split('/').pop()));
    expect(results('明白纸').filter((h) => h.type === 'library')).toEqual([]);
  });

  it('rewrites documents indexed the old way once per database', async () => {
    const l = saveListing(db, ctx(collector), null, {
      villageCode: R.village,
      fields: listingFields({ title: '老式索引', descriptionMd: '_旧的斜体_' }),
      keep: [],
      uploads: [],
      intent: 'submit',
    });
    approveListing(db, ctx(station), l.id);
    // As the earlier code indexed it: Markdown in the body, the English name in the snippet text.
    indexDocument(db, { type: 'listing', id: String(l.id), title: '老式索引', body: '_旧的斜体_\n王先生', regionCode: R.village, url: `/products/${l.id}` });
    const pear = db.prepare(`SELECT id FROM search_documents WHERE type = 'price' AND title = '梨'`).get() as { id: string };
    db.prepare(`UPDATE search_documents SET body = 'Pears 元/斤' WHERE type = 'price' AND id = ?`).run(pear.id);
    db.prepare(`DELETE FROM search_documents WHERE type = 'library'`).run();
    const training = db.prepare(`SELECT id FROM search_documents WHERE type = 'training' AND title = '蘑菇大棚管理'`).get() as { id: string };
    db.prepare(`UPDATE search_documents SET body = '**请带上** 身份证' WHERE type = 'training' AND id = ?`).run(training.id);

    expect(
      await runSeeds(
        db,
        projectRoot(),
        SEED_STEPS.filter((s) => s.name === 'search-documents-2'),
      ),
    ).toEqual(['search-documents-2']);
    const body = (type: string, id: string) => (db.prepare('SELECT body FROM search_documents WHERE type = ? AND id = ?').get(type, id) as { body: string }).body;
    expect(body('listing', String(l.id))).toBe('旧的斜体\n王先生');
    expect(body('price', pear.id)).toBe('元/斤');
    expect(body('training', training.id)).toBe('食用菌\n请带上 身份证和 笔记本');
    expect(results('pears').some((h) => h.id === pear.id)).toBe(true);
    expect(results('辣椒分级').map((h) => h.type)).toContain('library');
  });
});
