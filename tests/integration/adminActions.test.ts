import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/auth/can.ts';
import { openDatabase, type Db } from '../../src/lib/db/index.ts';
import { translator } from '../../src/i18n/index.ts';
import { allowedIntents as articleIntents, createArticle } from '../../src/lib/articles/write.ts';
import { allowedIntents as listingIntents, approveListing, getListing, saveListing } from '../../src/lib/listings/index.ts';
import { allowedImportIntents, getStagedImport, previewImport, stageImport } from '../../src/lib/prices/index.ts';
import { allowedIntents as reportIntents, readReport } from '../../src/lib/reports/index.ts';
import { allowedInstructionIntents, instructionsOf } from '../../src/lib/reports/instructions.ts';
import { toLocalInput } from '../../src/lib/trainings/schemas.ts';
import { allowedIntents as sessionIntents, createSession, getSession } from '../../src/lib/trainings/sessions.ts';
import { FormClient } from '../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../helpers/fixtures.ts';
import { listingFields } from '../helpers/listings.ts';
import { fileAs } from '../helpers/reports.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDb.ts';

const DAY = 24 * 3600_000;
const t = translator('zh-CN');

/** The intents a rendered page offers: every submit control or hidden field named `intent`. */
const offered = (html: string) => new Set([...html.matchAll(/name="intent" value="([A-Za-z]+)"/g)].map((m) => m[1]!));

describe('admin actions: one pipeline, buttons from allowedIntents', () => {
  const tmp = tempDir();
  let server: RunningServer;
  let db: Db;
  const client: Record<string, FormClient> = {};
  const actor: Record<string, Actor> = {};
  const auditCount = () => (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

  beforeAll(async () => {
    const file = tmp.file('admin-actions.sqlite');
    server = await startServer({ DATABASE_PATH: file, MEDIA_DIR: tmp.file('media') });
    db = openDatabase(file);
    const users = [
      ['collector', 'collector', R.village],
      ['station', 'station_manager', R.township],
      ['county', 'county_staff', R.county],
      ['otherCounty', 'county_staff', R.siblingCounty],
      ['admin', 'admin', R.city],
    ] as const;
    for (const [name, role, region] of users) {
      actor[name] = await makeUser(db, `a-${name}`, role, region);
      client[name] = new FormClient(server.url);
      await client[name].signIn(`a-${name}`, PASSWORD);
    }
  });
  afterAll(async () => {
    db?.close();
    await server?.stop();
    tmp.cleanup();
  });

  function newSession(): number {
    const startsAt = Date.now() + 10 * DAY;
    return createSession(
      db,
      { actor: actor.county!, clientAddress: '192.0.2.1' },
      {
        countyCode: R.county,
        title: '动作测试培训',
        topic: '测试',
        trainer: '',
        location: '',
        descriptionMd: '',
        startsAt: toLocalInput(startsAt),
        endsAt: toLocalInput(startsAt + 2 * 3600_000),
        signupDeadline: toLocalInput(startsAt - DAY),
        capacity: '30',
      },
    );
  }

  it('refuses an unknown intent on a training with 400 instead of saving it, changing nothing', async () => {
    const id = newSession();
    const before = { session: getSession(db, id), audit: auditCount() };
    const res = await client.county!.post(`/admin/trainings/${id}`, { intent: 'delete', countyCode: R.county, title: '被改掉的标题', capacity: '5' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(t('error.unknownIntent'));
    expect(getSession(db, id)).toEqual(before.session);
    expect(auditCount()).toBe(before.audit);
  });

  it('refuses an unknown intent on a report with 400, changing nothing', async () => {
    const report = fileAs(db, actor.collector!);
    const events = () => readReport(db, actor.station!, report.id).events.length;
    const before = { events: events(), audit: auditCount() };
    const res = await client.station!.post(`/admin/reports/${report.id}`, { intent: 'delete' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(t('error.unknownIntent'));
    expect(events()).toBe(before.events);
    expect(auditCount()).toBe(before.audit);
  });

  it('draws a training page’s buttons from allowedIntents, for each actor and state', async () => {
    const id = newSession();
    const check = async (who: string, expected: string[]) => {
      const html = await (await client[who]!.get(`/admin/trainings/${id}`)).text();
      expect(sessionIntents(actor[who]!, getSession(db, id)!)).toEqual(expected);
      expect(offered(html)).toEqual(new Set(expected));
    };
    await check('county', ['save', 'cancel', 'complete']);
    await check('admin', ['save', 'cancel', 'complete']);
    expect((await client.otherCounty!.get(`/admin/trainings/${id}`)).status).toBe(404);

    expect((await client.county!.post(`/admin/trainings/${id}`, { intent: 'complete' })).status).toBe(303);
    await check('county', []);
    // The write refuses what the page no longer offers, with the same reason.
    const late = await client.county!.post(`/admin/trainings/${id}`, { intent: 'cancel', cancelNote: '' });
    expect(late.status).toBe(409);
    expect(getSession(db, id)!.status).toBe('completed');
  });

  it('draws a report page’s buttons from allowedIntents as the report moves up', async () => {
    const report = fileAs(db, actor.collector!);
    const check = async (who: string, expected: string[]) => {
      const html = await (await client[who]!.get(`/admin/reports/${report.id}`)).text();
      const state = readReport(db, actor[who]!, report.id);
      expect(reportIntents(actor[who]!, state)).toEqual(expected);
      // The page also offers what the instructions' domain allows (领导批示 on an adopted report).
      expect(offered(html)).toEqual(new Set([...expected, ...allowedInstructionIntents(actor[who]!, state, instructionsOf(db, report.id))]));
    };
    await check('station', ['adopt', 'forward', 'return']);
    await check('collector', []);
    expect((await client.station!.post(`/admin/reports/${report.id}`, { intent: 'adopt', comment: '' })).status).toBe(303);
    await check('station', ['forward', 'return']);
    expect(allowedInstructionIntents(actor.station!, readReport(db, actor.station!, report.id), [])).toEqual(['instruct']);
    const twice = await client.station!.post(`/admin/reports/${report.id}`, { intent: 'adopt', comment: '' });
    expect(twice.status).toBe(409);
    expect((await client.station!.post(`/admin/reports/${report.id}`, { intent: 'forward' })).status).toBe(303);
    await check('station', []);
    await check('county', ['adopt', 'forward', 'return']);
    expect((await client.county!.post(`/admin/reports/${report.id}`, { intent: 'adopt', comment: '' })).status).toBe(303);
    await check('county', ['forward', 'return', 'publish']);
    expect((await client.county!.post(`/admin/reports/${report.id}`, { intent: 'publish' })).status).toBe(303);
    await check('county', ['forward', 'return']);
  });

  it('offers acknowledging an urgent report to the levels above its author, once', async () => {
    const report = fileAs(db, actor.collector!, { urgent: 'on' });
    const intents = (who: string) => reportIntents(actor[who]!, readReport(db, actor[who]!, report.id));
    const html = async (who: string) => offered(await (await client[who]!.get(`/admin/reports/${report.id}`)).text());
    for (const who of ['station', 'county', 'admin']) {
      const expected = intents(who);
      expect(expected).toContain('acknowledge');
      expect(await html(who)).toEqual(new Set(expected));
    }
    expect((await client.admin!.post(`/admin/reports/${report.id}`, { intent: 'acknowledge' })).status).toBe(303);
    expect(intents('admin')).not.toContain('acknowledge');
    expect(await html('admin')).toEqual(new Set(intents('admin')));
  });

  it('draws a listing editor’s buttons and the review queue’s from allowedIntents, draft to public to archived', async () => {
    const by = (who: string) => ({ actor: actor[who]!, clientAddress: '192.0.2.1' });
    const l = saveListing(db, by('collector'), null, { villageCode: R.village, fields: listingFields({ title: '按钮测试酥梨' }), keep: [], uploads: [], intent: 'draft' });
    const editor = async (who: string) => offered(await (await client[who]!.get(`/admin/listings/${l.id}`)).text());
    const check = async (who: string, expected: string[]) => {
      const allowed = listingIntents(actor[who]!, getListing(db, l.id)!).filter((i) => i !== 'approve' && i !== 'reject');
      expect(allowed).toEqual(expected);
      expect(await editor(who)).toEqual(new Set(expected));
    };
    await check('collector', ['draft', 'submit', 'archive']);
    expect((await client.collector!.post('/admin/review', { id: String(l.id), decision: 'approve' })).status).toBe(403);
    saveListing(db, by('collector'), l.id, { villageCode: R.village, fields: listingFields({ title: '按钮测试酥梨' }), keep: [], uploads: [], intent: 'submit' });
    // The review queue offers approve and reject for each listing, as allowedIntents says.
    expect(listingIntents(actor.station!, getListing(db, l.id)!)).toEqual(['draft', 'submit', 'archive', 'approve', 'reject']);
    const queue = await (await client.station!.get('/admin/review')).text();
    const row = queue.slice(queue.indexOf('按钮测试酥梨'));
    expect(row).toContain('name="decision" value="approve"');
    expect(row).toContain('name="decision" value="reject"');
    approveListing(db, by('station'), l.id);
    await check('collector', ['submit', 'renew', 'soldOut', 'archive']);
    expect((await client.collector!.post(`/admin/listings/${l.id}`, { intent: 'archive' })).status).toBe(303);
    await check('collector', []);
    const again = await client.collector!.post(`/admin/listings/${l.id}`, { intent: 'renew' });
    expect(again.status).toBe(409);
  });

  it('gives an article’s forms by the author’s level: edit, decide and delete at or above it, propose below', async () => {
    const article = createArticle(
      db,
      { actor: actor.county!, clientAddress: '192.0.2.1' },
      { regionCode: R.township, kind: 'notice', title: '按钮测试通知', summary: '', bodyMd: '正文', status: 'published' },
    );
    const forms = async (who: string) => {
      const html = await (await client[who]!.get(`/admin/articles/${article.id}`)).text();
      const found = new Set<string>();
      if (html.includes('name="intent" value="save"') && !html.includes('?propose=1')) found.add('save');
      if (html.includes(`/admin/articles/${article.id}?delete=1`)) found.add('delete');
      if (html.includes(`/admin/articles/${article.id}?propose=1`)) found.add('propose');
      return found;
    };
    expect(articleIntents(actor.county!, article)).toEqual(['save', 'delete', 'decide']);
    expect(await forms('county')).toEqual(new Set(['save', 'delete']));
    expect(articleIntents(actor.station!, article)).toEqual(['propose']);
    expect(await forms('station')).toEqual(new Set(['propose']));
    const refused = await client.station!.post(`/admin/articles/${article.id}?delete=1`, {});
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(t('articles.error.higherLevel'));
  });

  it('draws a price import preview’s buttons from allowedImportIntents: create, then import, then nothing', async () => {
    const ctx = { actor: actor.county!, clientAddress: '192.0.2.1' };
    const day = new Date(Date.now() - 2 * DAY + 8 * 3600_000).toISOString().slice(0, 10);
    const sheet = ['日期,市场,商品,品种,平均价', `${day},动作测试市场,大蒜,动作测试蒜,3.00`].join('\n');
    const stage = () => stageImport(db, ctx, { fileName: 'intents.csv', bytes: new TextEncoder().encode(sheet), defaultMarketId: null });
    const page = (id: string) => client.county!.get(`/admin/prices/import/${id}`);
    const check = async (id: string, expected: string[]) => {
      const staged = getStagedImport(db, ctx, id);
      expect(allowedImportIntents(staged, previewImport(db, ctx, staged))).toEqual(expected);
      expect(offered(await (await page(id)).text())).toEqual(new Set(expected));
    };
    const post = (id: string, fields: Record<string, string>) => client.county!.post(`/admin/prices/import/${id}`, fields);
    const observations = () => (db.prepare("SELECT count(*) AS n FROM price_observations WHERE variety = '动作测试蒜'").get() as { n: number }).n;

    const first = stage();
    await check(first, ['create']);
    // Its only row names a market that does not exist yet: a file to correct (or complete) first.
    const early = await post(first, { intent: 'import', mode: 'skip' });
    expect(early.status).toBe(422);
    expect(await early.text()).toContain(t('validation.priceImport.noValidRows'));
    expect((await post(first, { intent: 'create', 'market-0': '动作测试市场', 'region-0': R.county })).status).toBe(303);
    await check(first, ['import']);
    expect((await post(first, { intent: 'create', 'market-0': '动作测试市场', 'region-0': R.county })).status).toBe(409);
    expect((await post(first, { intent: 'import', mode: 'all' })).status).toBe(303);
    expect(observations()).toBe(1);
    await check(first, []);

    // The same file again: every row is recorded already, so the preview offers no import and the write refuses one.
    const second = stage();
    await check(second, []);
    expect(await (await page(second)).text()).toContain(t('prices.import.nothing'));
    const audit = auditCount();
    const refused = await post(second, { intent: 'import', mode: 'all' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(t('validation.priceImport.nothingNew'));
    expect(getStagedImport(db, ctx, second).importedAt).toBeNull();
    expect(auditCount()).toBe(audit);
    expect(observations()).toBe(1);
  });

  it('answers an unreadable body on the new-training form with one clear 400, not "required" on every field', async () => {
    const sessions = () => (db.prepare('SELECT count(*) AS n FROM training_sessions').get() as { n: number }).n;
    const before = sessions();
    const garbled = await client.county!.request('/admin/trainings/new', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new Uint8Array([...Buffer.from('countyCode=411402&title='), 0xc3, 0x28]),
    });
    expect(garbled.status).toBe(400);
    const html = await garbled.text();
    expect(html).toContain(t('error.badRequest'));
    expect(html).not.toContain(t('validation.required'));
    const json = await client.county!.request('/admin/trainings/new', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: '{"title":"x"}',
    });
    expect(json.status).toBe(415);
    expect(await json.text()).toContain(t('error.unsupportedBody'));
    expect(sessions()).toBe(before);
  });
});
