import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { createArticle } from '../../src/lib/articles/write.ts';
import type { ChangeContext } from '../../src/lib/context.ts';
import { projectRoot, type Db } from '../../src/lib/db/index.ts';
import { UNTRACKED_TABLES } from '../../src/lib/db/tags.ts';
import { approveListing, saveListing } from '../../src/lib/listings/index.ts';
import { updateProfile } from '../../src/lib/regions/profile.ts';
import { createSession } from '../../src/lib/trainings/sessions.ts';
import { signUp } from '../../src/lib/trainings/signups.ts';
import { SAMPLE_SHEET } from '../fixtures/prices/makeSampleSheet.ts';
import { makeUser, R } from '../helpers/fixtures.ts';
import { listingFields } from '../helpers/listings.ts';
import { serverTest, type TestServer } from '../helpers/serverTest.ts';
import { sessionFields } from '../helpers/trainings.ts';

/**
 * Cache tags seen from outside (src/lib/db/tags.ts): npm start keeps a page (it carries an Age
 * header) until a write to something it shows, made here on another connection or by another
 * process, and keeps the pages that do not show it.
 */

const it = serverTest();

describe('cache tags: a write makes stale only the pages that show it', () => {
  let server: TestServer;
  let db: Db;
  const as: Record<'collector' | 'station' | 'county', ChangeContext> = {} as never;
  let sessionId = 0;
  const village = `/village/${R.village}`;
  const elsewhere = `/village/${R.otherCountyVillage}`;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    as.collector = { actor: await makeUser(db, 'tag-collector', 'collector', R.village), clientAddress: '192.0.2.1' };
    as.station = { actor: await makeUser(db, 'tag-station', 'station_manager', R.township), clientAddress: '192.0.2.1' };
    as.county = { actor: await makeUser(db, 'tag-county', 'county_staff', R.county), clientAddress: '192.0.2.1' };
    sessionId = createSession(db, as.county, sessionFields({ title: '缓存标签测试培训', capacity: 2 }));
  });

  const read = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(200);
    return { html: await res.text(), kept: res.headers.has('age') };
  };
  /** Renders the pages and checks that the next reader is given a kept copy. */
  const warm = async (...paths: string[]) => {
    for (const path of paths) {
      await read(path);
      expect((await read(path)).kept, path).toBe(true);
    }
  };

  it('gives every table triggers or a place among the untracked', () => {
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'`).pluck().all() as string[];
    const tagged = new Set(db.prepare(`SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'tag\\_%' ESCAPE '\\'`).pluck().all() as string[]);
    // The search index's own tables belong to its virtual table, which nothing can put a trigger on.
    const undecided = tables.filter((t) => !tagged.has(t) && !UNTRACKED_TABLES.includes(t) && !t.startsWith('search_fts_'));
    expect(undecided).toEqual([]);
    expect(UNTRACKED_TABLES.filter((t) => !tables.includes(t))).toEqual([]);
  });

  it('shows an approved listing on its village page at once, and keeps a village page elsewhere', async () => {
    await warm(village, elsewhere);
    const listing = saveListing(db, as.collector, null, { villageCode: R.village, fields: listingFields({ title: '缓存标签酥梨' }), keep: [], uploads: [], intent: 'submit' });
    approveListing(db, as.station, listing.id);
    const after = await read(village);
    expect(after.kept).toBe(false);
    expect(after.html).toContain('缓存标签酥梨');
    expect((await read(elsewhere)).kept).toBe(true);
  });

  it('shows a notice the county publishes on its village pages at once, and keeps another county’s', async () => {
    await warm(village, elsewhere);
    createArticle(db, as.county, { regionCode: R.county, kind: 'notice', title: '缓存标签停电通知', bodyMd: '正文', status: 'published' });
    const after = await read(village);
    expect(after.kept).toBe(false);
    expect(after.html).toContain('缓存标签停电通知');
    expect((await read(elsewhere)).kept).toBe(true);
  });

  it('shows each sign-up on the session’s page, and changes the village page only when the last seat goes', async () => {
    const page = `/trainings/${sessionId}`;
    await warm(page, village);
    expect((await read(village)).html).toContain(zhCN['training.seatsOpen']);
    signUp(db, sessionId, { name: '张三', phone: '13900000001', villageCode: R.village });
    const one = await read(page);
    expect(one.kept).toBe(false);
    expect(one.html).toContain(zhCN['training.seatsSummary'].replace('{capacity}', '2').replace('{left}', '1').replace('{waitlisted}', '0'));
    expect((await read(village)).kept).toBe(true);
    signUp(db, sessionId, { name: '李四', phone: '13900000002', villageCode: R.village });
    const full = await read(village);
    expect(full.kept).toBe(false);
    expect(full.html).toContain(zhCN['training.fullJoinWaitlist']);
    expect((await read(elsewhere)).kept).toBe(true);
  });

  it('shows prices another process imports on the price pages at once, and keeps a training’s page', async () => {
    const page = `/trainings/${sessionId}`;
    await warm('/prices', page);
    const before = (await read('/prices')).html;
    const run = spawnSync(process.execPath, [join(projectRoot(), 'scripts', 'pricesImport.ts'), '--file', SAMPLE_SHEET, '--region', R.city, '--create-missing', '--skip-invalid'], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_PATH: server.databasePath },
    });
    expect(run.status, run.stderr).toBe(0);
    const after = await read('/prices');
    expect(after.kept).toBe(false);
    expect(after.html).not.toBe(before);
    expect((await read(page)).kept).toBe(true);
  });

  it('shows an edited village profile at once', async () => {
    await warm(village);
    updateProfile(db, as.station, R.village, { introMd: '缓存标签村简介：本村盛产酥梨。' });
    const after = await read(village);
    expect(after.kept).toBe(false);
    expect(after.html).toContain('缓存标签村简介');
  });
});
