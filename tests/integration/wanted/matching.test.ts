import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { approveListing, saveListing } from '../../../src/lib/listings/index.ts';
import { today } from '../../../src/lib/time.ts';
import { getWanted } from '../../../src/lib/wanted/index.ts';
import { matchingListings } from '../../../src/lib/wanted/match.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest({ SITE_URL: 'https://xx.example.cn' });
const COLLECTOR_PHONE = '13600001234';

describe('matching buy requests with listings, and collectors answering them', () => {
  let server: TestServer;
  let db: Db;
  let station: FormClient;
  let collector: FormClient;
  let neighbour: FormClient;
  let pear: number;
  let otherCountyPear: number;
  let apple: number;

  const publish = (actor: Actor, villageCode: string, fields: Record<string, string>) => {
    const ctx = { actor, clientAddress: '192.0.2.7' };
    const id = saveListing(db, ctx, null, { villageCode, fields: listingFields({ villageCode, ...fields }), keep: [], uploads: [], intent: 'submit' }).id;
    approveListing(db, { actor: reviewer, clientAddress: '192.0.2.7' }, id);
    return id;
  };
  let reviewer: Actor;

  const request = async (fields: Record<string, string>) => {
    const res = await station.post('/admin/wanted/new', {
      regionCode: R.township,
      category: 'fruit',
      quantity: '20000',
      unit: 'jin',
      deadline: today(Date.now() + 7 * 24 * 3600_000),
      contactMode: 'station',
      ...fields,
    });
    expect(res.status).toBe(303);
    return Number(/(\d+)\?saved/.exec(res.headers.get('location') ?? '')?.[1]);
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    reviewer = await makeUser(db, 'wm-reviewer', 'admin', R.city);
    await makeUser(db, 'wm-station', 'station_manager', R.township);
    const own = await makeUser(db, 'wm-collector', 'collector', R.village);
    const next = await makeUser(db, 'wm-neighbour', 'collector', R.siblingVillage);
    const far = await makeUser(db, 'wm-far', 'collector', R.otherCountyVillage);
    // The village's collector gave a phone; the neighbour did not.
    db.prepare('INSERT INTO staff_contacts (user_id, phone, updated_at) VALUES (?, ?, 0)').run(own.id, COLLECTOR_PHONE);
    pear = publish(own, R.village, { title: '新鲜酥梨大量上市', category: 'fruit' });
    apple = publish(next, R.siblingVillage, { title: '红富士苹果', category: 'fruit' });
    otherCountyPear = publish(far, R.otherCountyVillage, { title: '睢阳酥梨', category: 'fruit' });
    publish(own, R.village, { title: '酥梨木家具', category: 'handicraft' });
    station = new FormClient(server.url);
    collector = new FormClient(server.url);
    neighbour = new FormClient(server.url);
    await station.signIn('wm-station', PASSWORD);
    await collector.signIn('wm-collector', PASSWORD);
    await neighbour.signIn('wm-neighbour', PASSWORD);
  });

  it('matches live listings of the same category by product or variety words, the county first', async () => {
    const id = await request({ product: '酥梨', variety: '砀山酥梨' });
    const found = matchingListings(db, getWanted(db, id)!);
    const matched = found.map((l) => l.id);
    // The sample listings of the template database may match too; ours are there, in county order.
    expect(matched).toEqual(expect.arrayContaining([pear, otherCountyPear]));
    expect(matched.indexOf(pear)).toBeLessThan(matched.indexOf(otherCountyPear));
    expect(found.map((l) => l.sameCounty)).toEqual([...found.map((l) => l.sameCounty)].sort().reverse());
    expect(found.every((l) => l.title.includes('酥梨'))).toBe(true);
    expect(matched).not.toContain(apple);
    const byVariety = matchingListings(db, { product: '水果', variety: '红富士', category: 'fruit', regionCode: R.township }).map((l) => l.id);
    expect(byVariety).toContain(apple);
    expect(byVariety).not.toContain(pear);

    const page = await (await station.get(`/admin/wanted/${id}`)).text();
    expect(page).toContain(`href="/products/${pear}"`);
    expect(page).toContain(`href="/products/${otherCountyPear}"`);
    expect(page.indexOf(`/products/${pear}"`)).toBeLessThan(page.indexOf(`/products/${otherCountyPear}"`));
  });

  it('sends one SMS per match to collectors with a phone, once, and not for an edit', async () => {
    const messages = () =>
      db.prepare("SELECT recipient, body, idem_key AS key FROM outbox WHERE kind = 'wanted.match' ORDER BY id").all() as { recipient: string; body: string; key: string }[];
    const first = messages();
    expect(first.map((m) => m.recipient)).toEqual([COLLECTOR_PHONE]);
    expect(first[0]!.body).toContain('新鲜酥梨大量上市');
    expect(first[0]!.body).toContain('https://xx.example.cn/admin');
    const id = (db.prepare("SELECT id FROM wanted WHERE product = '酥梨'").get() as { id: number }).id;
    await station.post(`/admin/wanted/${id}`, {
      intent: 'save',
      regionCode: R.township,
      product: '酥梨',
      variety: '砀山酥梨',
      category: 'fruit',
      quantity: '30000',
      unit: 'jin',
      deadline: today(Date.now() + 86_400_000),
      contactMode: 'station',
    });
    expect(messages()).toHaveLength(1);
  });

  it('shows a collector the open requests matching their village’s listings, and takes their answer', async () => {
    const id = (db.prepare("SELECT id FROM wanted WHERE product = '酥梨'").get() as { id: number }).id;
    const dashboard = await (await collector.get('/admin')).text();
    expect(dashboard).toContain(zhCN['wanted.dashboard.title']);
    expect(dashboard).toContain(`href="/admin/wanted/${id}/supply"`);
    // The neighbour's apples match nothing open: no section.
    expect(await (await neighbour.get('/admin')).text()).not.toContain(zhCN['wanted.dashboard.title']);

    // Another village's listing, an unknown one and a non-number are refused; nothing stored.
    for (const listingId of [String(apple), '999999', 'abc']) expect((await collector.post(`/admin/wanted/${id}/supply`, { listingId })).status).toBe(400);
    expect((await neighbour.post(`/admin/wanted/${id}/supply`, { listingId: String(pear) })).status).toBe(400);
    expect(db.prepare('SELECT count(*) AS n FROM wanted_answers').get()).toEqual({ n: 0 });

    const res = await collector.post(`/admin/wanted/${id}/supply`, { listingId: String(pear) });
    expect(res.status).toBe(303);
    expect((await collector.post(`/admin/wanted/${id}/supply`, { listingId: String(pear) })).status).toBe(409);
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'wanted.answer'").get()).toEqual({ n: 1 });

    const page = await (await station.get(`/admin/wanted/${id}`)).text();
    const answers = page.slice(page.indexOf('answers-heading'), page.indexOf('matches-heading'));
    expect(answers).toContain(`href="/products/${pear}"`);
    expect(answers).toContain('wm-collector');
  });

  it('takes no answer once the request is closed', async () => {
    const id = await request({ product: '黄梨' });
    await station.post(`/admin/wanted/${id}`, { intent: 'close' });
    expect((await collector.post(`/admin/wanted/${id}/supply`, { listingId: String(pear) })).status).toBe(404);
  });
});
