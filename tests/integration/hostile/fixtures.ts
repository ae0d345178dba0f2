import { createArticle } from '../../../src/lib/articles/write.ts';
import { addLibraryFile, prepareDocument } from '../../../src/lib/articles/library.ts';
import { proposeChange } from '../../../src/lib/articles/proposals.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { saveListing } from '../../../src/lib/listings/index.ts';
import { prepareImage } from '../../../src/lib/media/images.ts';
import { addDutyPhone } from '../../../src/lib/messages/duty.ts';
import { enterObservation, enterPurchasePrice, saveMarket, savePoint, stageImport } from '../../../src/lib/prices/index.ts';
import { askQuestion } from '../../../src/lib/questions/index.ts';
import { fileReport } from '../../../src/lib/reports/index.ts';
import { publishNotice } from '../../../src/lib/trainings/notices.ts';
import { toLocalInput } from '../../../src/lib/trainings/schemas.ts';
import { createSession } from '../../../src/lib/trainings/sessions.ts';
import { signUp } from '../../../src/lib/trainings/signups.ts';
import { today } from '../../../src/lib/time.ts';
import { saveWanted } from '../../../src/lib/wanted/index.ts';
import { saveEntity } from '../../../src/lib/directory/index.ts';
import { makeUser, R } from '../../helpers/fixtures.ts';
import { plainPng } from '../../helpers/images.ts';
import { listingFields } from '../../helpers/listings.ts';
import { reportFields } from '../../helpers/reports.ts';

/** Who a case is sent as: anonymous, or one of the accounts made below. */
export const WHO = ['anonymous', 'collector', 'station', 'county', 'otherCounty', 'admin'] as const;
export type Who = (typeof WHO)[number];

/** A village of the township next to R.township, for "another township's" items. */
const OTHER_TOWNSHIP_VILLAGE = '411402002001';

export const ACCOUNTS: Record<Exclude<Who, 'anonymous'>, { role: 'collector' | 'station_manager' | 'county_staff' | 'admin'; region: string }> = {
  collector: { role: 'collector', region: R.village },
  station: { role: 'station_manager', region: R.township },
  county: { role: 'county_staff', region: R.county },
  otherCounty: { role: 'county_staff', region: R.siblingCounty },
  admin: { role: 'admin', region: R.city },
};

export const username = (who: Exclude<Who, 'anonymous'>) => `hx-${who}`;

const CLIENT = '192.0.2.9';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const DAY = 24 * 3600_000;

/** Valid training fields for `countyCode`, starting in about a month. */
export function sessionFields(countyCode: string): Record<string, string> {
  const start = Date.now() + 30 * DAY;
  return {
    countyCode,
    title: '夏玉米病虫害防治培训',
    topic: '植保',
    trainer: '县农技站',
    location: '乡政府会议室',
    startsAt: toLocalInput(start),
    endsAt: toLocalInput(start + 2 * 3600_000),
    signupDeadline: toLocalInput(start - DAY),
    capacity: '50',
    descriptionMd: '带上笔记本。',
  };
}

/**
 * Accounts and items the corpus aims at, each made through the domain modules as its owner would:
 * own things to send bad values to, and other people's things to forge ids of. Returns the
 * placeholder values (`{ownListing}`, `{otherReport}` …) the corpus uses in paths and fields.
 */
export async function makeTargets(db: Db): Promise<Record<string, string>> {
  const users: Record<string, Awaited<ReturnType<typeof makeUser>>> = {};
  for (const [who, { role, region }] of Object.entries(ACCOUNTS)) users[who] = await makeUser(db, username(who as Exclude<Who, 'anonymous'>), role, region);
  users.neighbour = await makeUser(db, 'hx-neighbour', 'collector', R.siblingVillage);
  users.otherTownship = await makeUser(db, 'hx-other-township', 'collector', OTHER_TOWNSHIP_VILLAGE);
  users.otherStation = await makeUser(db, 'hx-other-station', 'station_manager', R.siblingTownship);
  const as = (who: string) => ({ actor: users[who]!, clientAddress: CLIENT });

  const ownListing = saveListing(db, as('collector'), null, { villageCode: R.village, fields: listingFields(), keep: [], uploads: [], intent: 'draft' });
  const pendingListing = saveListing(db, as('collector'), null, {
    villageCode: R.village,
    fields: listingFields({ title: '待审核的梨' }),
    keep: [],
    uploads: [],
    intent: 'submit',
  });
  const otherListing = saveListing(db, as('neighbour'), null, {
    villageCode: R.siblingVillage,
    fields: listingFields({ villageCode: R.siblingVillage, title: '邻村的苹果' }),
    keep: [],
    // Its photo awaits review: only the neighbour's reviewers may see it.
    uploads: [await prepareImage(await plainPng(48, 32, '#c0392b'))],
    intent: 'submit',
  });

  const training = createSession(db, as('county'), sessionFields(R.county));
  const otherTraining = createSession(db, as('otherCounty'), sessionFields(R.siblingCounty));
  signUp(db, otherTraining, { name: '李四', phone: '13900139000', villageCode: R.otherCountyVillage });
  const otherSignup = db.prepare('SELECT id FROM training_signups WHERE session_id = ?').get(otherTraining) as { id: number };
  const otherNotice = publishNotice(db, as('otherCounty'), { countyCode: R.siblingCounty, title: '睢阳区培训通知', bodyMd: '通知正文', publishedOn: today() });

  const article = createArticle(db, as('county'), { regionCode: R.county, kind: 'notice', title: '梁园区通知', bodyMd: '正文', status: 'published' });
  const draftArticle = createArticle(db, as('county'), { regionCode: R.county, kind: 'notice', title: '未发布的稿件', bodyMd: '正文', status: 'draft' });
  const countyTownshipArticle = createArticle(db, as('county'), { regionCode: R.township, kind: 'notice', title: '县里写给街道的通知', bodyMd: '正文', status: 'published' });
  // A collector's notice waiting for the township's review, and one in the neighbouring village.
  const pendingArticle = createArticle(db, as('collector'), { regionCode: R.village, kind: 'notice', title: '村里的通知', bodyMd: '正文' }, 'submit');
  const countyTownshipProposal = proposeChange(db, as('station'), countyTownshipArticle.id, { kind: 'notice', title: '更正', bodyMd: '新正文', status: 'published' });
  const otherLibraryFile = addLibraryFile(
    db,
    as('otherStation'),
    { townshipCode: R.siblingTownship, title: '邻乡资料', category: 'technical', docDate: today() },
    prepareDocument({ name: '资料.pdf', bytes: PDF }),
  );

  const ownLibraryFile = addLibraryFile(
    db,
    as('station'),
    { townshipCode: R.township, title: '本乡资料', category: 'technical', docDate: today() },
    prepareDocument({ name: '本乡资料.pdf', bytes: PDF }),
  );

  const market = saveMarket(db, as('county'), undefined, { name: '梁园区农贸市场（测试）', regionCode: R.county, address: '' });
  const otherMarket = saveMarket(db, as('otherCounty'), undefined, { name: '睢阳区农贸市场（测试）', regionCode: R.siblingCounty, address: '' });
  const otherObservation = enterObservation(db, as('otherCounty'), { marketId: String(otherMarket), commodityId: '1', observedOn: today(), avgPrice: '1.2' });
  const badCsv = `日期,市场,品名,均价\n${today()},梁园区农贸市场（测试）,不存在的商品,abc\n`;
  const badImport = stageImport(db, as('county'), { fileName: 'bad.csv', bytes: new TextEncoder().encode(badCsv), defaultMarketId: null });
  const okCsv = `日期,市场,品名,均价\n${today()},睢阳区农贸市场（测试）,小麦,1.3\n`;
  const otherImport = stageImport(db, as('otherCounty'), { fileName: 'ok.csv', bytes: new TextEncoder().encode(okCsv), defaultMarketId: null });

  const ownPoint = savePoint(db, as('collector'), undefined, { name: '本村收购站（测试）', kind: 'station', regionCode: R.village });
  const otherPoint = savePoint(db, as('neighbour'), undefined, { name: '邻村收购站（测试）', kind: 'depot', regionCode: R.siblingVillage });
  const otherCountyPoint = savePoint(db, as('otherCounty'), undefined, { name: '睢阳区收购站（测试）', kind: 'station', regionCode: R.otherCountyVillage });
  const ownPurchase = enterPurchasePrice(db, as('collector'), { pointId: String(ownPoint), commodityId: '1', observedOn: today(), price: '1.2' });
  const otherPurchase = enterPurchasePrice(db, as('otherCounty'), { pointId: String(otherCountyPoint), commodityId: '1', observedOn: today(), price: '1.2' });

  const wantedFields = (regionCode: string) => ({
    regionCode,
    product: '酥梨',
    category: 'fruit',
    quantity: '5000',
    unit: 'jin',
    deadline: today(Date.now() + 10 * DAY),
    contactMode: 'station',
  });
  const ownWanted = saveWanted(db, as('station'), null, wantedFields(R.township));
  const otherWanted = saveWanted(db, as('otherStation'), null, wantedFields(R.siblingTownship));

  const entityFields = (regionCode: string, name: string) => ({ kind: 'cooperative', name, regionCode, tags: '辣椒' });
  const ownEntity = saveEntity(db, as('county'), null, entityFields(R.village, '本县辣椒合作社'));
  const otherEntity = saveEntity(db, as('otherCounty'), null, entityFields(R.otherCountyVillage, '外县辣椒合作社'));

  const otherDuty = addDutyPhone(db, as('otherCounty'), { regionCode: R.siblingCounty, name: '睢阳区值班', phone: '13800138111' });

  const report = fileReport(db, as('collector'), { fields: reportFields(R.village), uploads: [], attachments: [] });
  const otherReport = fileReport(db, as('otherTownship'), { fields: reportFields(OTHER_TOWNSHIP_VILLAGE, { title: '邻乡的报送信息' }), uploads: [], attachments: [] });

  const asked = (villageCode: string, title: string) =>
    askQuestion(db, { fields: { phone: '13700137000', villageCode, category: 'planting', title, body: '返青后叶尖发黄，一片一片的。', consent: 'on' }, uploads: [] });
  const question = asked(R.village, '小麦叶子发黄怎么办');
  const otherQuestion = asked(OTHER_TOWNSHIP_VILLAGE, '邻乡的农民提问');

  return {
    village: R.village,
    siblingVillage: R.siblingVillage,
    otherCountyVillage: R.otherCountyVillage,
    township: R.township,
    siblingTownship: R.siblingTownship,
    county: R.county,
    siblingCounty: R.siblingCounty,
    city: R.city,
    collectorId: users.collector!.id,
    neighbourId: users.neighbour!.id,
    otherTownshipUserId: users.otherTownship!.id,
    ownListing: String(ownListing.id),
    pendingListing: String(pendingListing.id),
    otherListing: String(otherListing.id),
    pendingPhoto: otherListing.photos[0]!.sha256,
    training: String(training),
    otherTraining: String(otherTraining),
    otherSignup: String(otherSignup.id),
    otherNotice: String(otherNotice),
    article: String(article.id),
    draftArticle: String(draftArticle.id),
    countyTownshipArticle: String(countyTownshipArticle.id),
    countyTownshipProposal: String(countyTownshipProposal.id),
    pendingArticle: String(pendingArticle.id),
    // An alert's end two hours from now, as the form's China-time `datetime-local` value.
    alertEnds: new Date(Date.now() + 10 * 3600_000).toISOString().slice(0, 16),
    otherLibraryFile: String(otherLibraryFile.id),
    ownLibraryFile: String(ownLibraryFile.id),
    market: String(market),
    otherMarket: String(otherMarket),
    otherObservation: String(otherObservation),
    badImport,
    otherImport,
    ownPoint: String(ownPoint),
    otherPoint: String(otherPoint),
    ownPurchase: String(ownPurchase),
    otherPurchase: String(otherPurchase),
    otherDuty: String(otherDuty),
    ownWanted: String(ownWanted),
    ownEntity: String(ownEntity),
    otherEntity: String(otherEntity),
    otherWanted: String(otherWanted),
    wantedDeadline: today(Date.now() + 10 * DAY),
    report: String(report.id),
    otherReport: String(otherReport.id),
    question: String(question.id),
    otherQuestion: String(otherQuestion.id),
    today: today(),
  };
}
