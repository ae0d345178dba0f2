/**
 * The hostile-input corpus: every mutating form and endpoint, and the public and API addresses
 * with parameters, each sent values an attacker or a confused client would send. Cases are data:
 * the runner (hostile.test.ts) sends each one and checks the answer and the database.
 *
 * `{name}` in a path or a field value is replaced by the target of that name made in fixtures.ts
 * (`{ownListing}`, `{otherReport}`, `{otherCountyVillage}` …).
 *
 * To add a case: find the form's block below and add a `bad(family, field, value)` line (or a
 * whole `HostileCase` for a new kind of request). By default a case must be refused with a 4xx
 * that carries a localized message and must change nothing in the database or the media folder.
 */
import { PASSWORD } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { reportFields } from '../../helpers/reports.ts';
import { sessionFields, type Who } from './fixtures.ts';
import { BAD_IDS, BLANK, LONG, SQL, WRONG, XSS, type HostileFiles } from './payloads.ts';

export type Family =
  | 'xss'
  | 'sql'
  | 'overlong'
  | 'blank'
  | 'utf8'
  | 'type'
  | 'date'
  | 'region'
  | 'forged'
  | 'duplicate'
  | 'csrf'
  | 'contentType'
  | 'bomb'
  | 'polyglot'
  | 'oversize'
  | 'path'
  | 'query'
  | 'auth'
  | 'weak';

/** Form fields; pairs when a name repeats. */
export type Fields = Record<string, string> | [string, string][];

export interface FileSpec {
  field: string;
  name: string;
  type: string;
  /** One of the crafted files, or that many bytes of filler. */
  data: keyof HostileFiles | number;
}

export interface HostileCase {
  name: string;
  family: Family;
  as: Who;
  method?: 'GET' | 'POST';
  path: string;
  /** An urlencoded body. */
  form?: Fields;
  /** A multipart body. */
  multipart?: { fields: Fields; files?: FileSpec[] };
  /** Replace this field's value with bytes that are not UTF-8 (in the form or multipart body). */
  invalidUtf8?: string;
  /** A body sent as is, with its own content type. */
  raw?: { contentType: string; text: string };
  /** Only this header declares the length: the body itself is a few bytes. */
  declaredLength?: number;
  /** Another site's Origin header, or none at all (default: this site's). */
  origin?: 'foreign' | 'absent';
  /** The refusal's status, when one particular 4xx is owed (default: any 4xx). */
  status?: number;
  /** Where a redirect must point instead of a 4xx (anonymous visitors go to the sign-in page). */
  redirect?: string;
  /** Not refused: the value is harmless once escaped. The page must show it only as text. */
  accept?: { status?: number; render?: { as: Who; path: string }; contains?: string };
}

interface Tweak {
  family: Family;
  field: string;
  value: string;
  status?: number;
}
const bad = (family: Family, field: string, value: string, status?: number): Tweak => ({ family, field, value, ...(status ? { status } : {}) });

const short = (value: string) => (value.length > 24 ? `${JSON.stringify(value.slice(0, 16))}…(${value.length})` : JSON.stringify(value));

/** One case per tweak: the valid `base` fields with one field replaced by a hostile value. */
function tweaked(label: string, target: { as: Who; path: string; multipart?: boolean; files?: FileSpec[] }, base: Record<string, string>, tweaks: Tweak[]): HostileCase[] {
  return tweaks.map(({ family, field, value, status }) => {
    const fields = { ...base, [field]: value };
    const body = target.multipart ? { multipart: { fields, ...(target.files ? { files: target.files } : {}) } } : { form: fields };
    return { name: `${label}: ${field} ← ${family} ${short(value)}`, family, as: target.as, path: target.path, ...body, ...(status ? { status } : {}) };
  });
}

/** One case per file: the valid fields with a hostile file in `field`. */
function withFiles(label: string, target: { as: Who; path: string }, fields: Record<string, string>, files: (FileSpec & { family: Family; status?: number })[]): HostileCase[] {
  return files.map(({ family, status, ...file }) => ({
    name: `${label}: ${file.field} ← ${family} ${typeof file.data === 'number' ? `${file.data} bytes` : file.data} as ${file.name}`,
    family,
    as: target.as,
    path: target.path,
    multipart: { fields, files: [file] },
    ...(status ? { status } : {}),
  }));
}

const file = (field: string, data: FileSpec['data'], name: string, type: string, family: Family, status?: number) => ({
  field,
  data,
  name,
  type,
  family,
  ...(status ? { status } : {}),
});

const MB = 1024 * 1024;

/** The usual text-field attacks: overlong, blank, zero-width, SQL-like. */
function textAttacks(field: string, { required = true } = {}): Tweak[] {
  return [
    bad('overlong', field, LONG.k10),
    ...(required ? [bad('blank', field, BLANK.spaces), bad('blank', field, BLANK.zeroWidth), bad('blank', field, BLANK.mixedInvisible)] : []),
  ];
}

/** Money attacks: what `Number()` would read (NaN, Infinity, 1e309, hex), negatives, words, SQL. */
function amountAttacks(field: string): Tweak[] {
  return [...[WRONG.nan, WRONG.infinity, WRONG.huge, WRONG.negative, WRONG.hex, WRONG.text].map((v) => bad('type', field, v)), bad('sql', field, SQL.or)];
}

/** Region-code attacks: another county's village, one that does not exist, one of the wrong level, SQL. */
function regionAttacks(field: string, { foreign, missing, wrongLevel }: { foreign: string; missing: string; wrongLevel: string }): Tweak[] {
  return [bad('region', field, foreign), bad('region', field, missing), bad('region', field, wrongLevel), bad('sql', field, SQL.or), bad('xss', field, XSS.attrBreakout)];
}

export function buildCorpus(): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (...more: HostileCase[]) => cases.push(...more);

  // ── Sign-in, sign-out, own password ────────────────────────────────────────────────────────
  const login = { username: 'hx-nobody', password: PASSWORD };
  add(
    ...tweaked('login', { as: 'anonymous', path: '/login' }, login, [
      bad('xss', 'username', XSS.script),
      bad('sql', 'username', SQL.or),
      bad('sql', 'username', SQL.union),
      bad('sql', 'password', SQL.or),
      bad('overlong', 'username', LONG.k10),
      bad('overlong', 'password', LONG.m1),
      bad('blank', 'username', BLANK.spaces),
      bad('blank', 'username', BLANK.zeroWidth),
      bad('blank', 'password', BLANK.empty),
    ]),
    {
      name: 'login: username given as an array',
      family: 'type',
      as: 'anonymous',
      path: '/login',
      form: [
        ['username[]', 'hx-collector'],
        ['password', PASSWORD],
      ],
    },
    { name: 'login: invalid UTF-8 in username', family: 'utf8', as: 'anonymous', path: '/login', form: login, invalidUtf8: 'username' },
    { name: 'login: a body declared at 85 MB', family: 'oversize', as: 'anonymous', path: '/login', declaredLength: 85 * MB, status: 413 },
    { name: 'my village: a body declared at 100 KB', family: 'oversize', as: 'anonymous', path: '/preferences/my-village', declaredLength: 100 * 1024, status: 413 },
    { name: 'login: JSON body', family: 'contentType', as: 'anonymous', path: '/login', raw: { contentType: 'application/json', text: JSON.stringify(login) } },
    { name: 'login: from another site', family: 'csrf', as: 'anonymous', path: '/login', form: login, origin: 'foreign', status: 403 },
    { name: 'login: no Origin header', family: 'csrf', as: 'anonymous', path: '/login', form: login, origin: 'absent', status: 403 },
    { name: 'logout: from another site', family: 'csrf', as: 'collector', path: '/logout', form: {}, origin: 'foreign', status: 403 },
    { name: 'logout: no Origin header', family: 'csrf', as: 'collector', path: '/logout', form: {}, origin: 'absent', status: 403 },
  );
  const password = { currentPassword: PASSWORD, newPassword: 'NewPassw0rd-x', confirmPassword: 'NewPassw0rd-x' };
  add(
    ...tweaked('own password', { as: 'collector', path: '/admin/password' }, password, [
      bad('sql', 'currentPassword', SQL.or),
      bad('overlong', 'newPassword', LONG.m1),
      bad('blank', 'newPassword', BLANK.zeroWidth.repeat(4)),
      bad('blank', 'currentPassword', BLANK.empty),
      bad('xss', 'confirmPassword', XSS.script),
    ]),
    // The policy runs on the NFKC form that is hashed (full-width letters are the ASCII ones).
    ...['password12', 'ｐａｓｓｗｏｒｄ１２', 'aaaaaaaaa1', 'HX-Collector-2026'].map(
      (weak): HostileCase => ({
        name: `own password: weak ${weak}`,
        family: 'weak',
        as: 'collector',
        path: '/admin/password',
        form: { ...password, newPassword: weak, confirmPassword: weak },
        status: 400,
      }),
    ),
    { name: 'own password: from another site', family: 'csrf', as: 'collector', path: '/admin/password', form: password, origin: 'foreign', status: 403 },
  );

  // ── User administration ────────────────────────────────────────────────────────────────────
  const newUser = { regionCode: '{village}', role: 'collector', username: 'hx-new-user', displayName: '新用户' };
  add(
    ...tweaked('create user', { as: 'station', path: '/admin/users/new' }, newUser, [
      bad('xss', 'username', XSS.script),
      bad('sql', 'username', SQL.or),
      bad('overlong', 'username', LONG.k10),
      bad('blank', 'username', BLANK.zeroWidth),
      bad('type', 'username', '乡信用户'),
      // A taken name answers alike inside the station's township and anywhere else in the city.
      bad('duplicate', 'username', 'hx-collector', 400),
      bad('duplicate', 'username', 'hx-otherCounty', 400),
      bad('duplicate', 'username', 'HX-ADMIN', 400),
      bad('overlong', 'displayName', LONG.k10),
      bad('type', 'role', 'admin'),
      bad('sql', 'role', SQL.drop),
      ...regionAttacks('regionCode', { foreign: '{otherCountyVillage}', missing: '411402001999', wrongLevel: '{township}' }),
    ]),
    { name: 'create user: a collector may not', family: 'forged', as: 'collector', path: '/admin/users/new', form: newUser, status: 403 },
    { name: 'user list: a collector may not open it', family: 'forged', as: 'collector', method: 'GET', path: '/admin/users', status: 403 },
    { name: 'user list: a collector may not search it', family: 'forged', as: 'collector', method: 'GET', path: '/admin/users?q=hx', status: 403 },
    { name: 'create user: anonymous', family: 'auth', as: 'anonymous', path: '/admin/users/new', form: newUser, redirect: '/login' },
    { name: 'create user: no Origin header', family: 'csrf', as: 'station', path: '/admin/users/new', form: newUser, origin: 'absent', status: 403 },
  );
  const editUser = { intent: 'save', regionCode: '{siblingVillage}', role: 'collector', displayName: '邻村采集员' };
  add(
    ...tweaked('edit user', { as: 'station', path: '/admin/users/{neighbourId}' }, editUser, [
      bad('overlong', 'displayName', LONG.k10),
      bad('region', 'regionCode', '{otherCountyVillage}', 403),
      bad('region', 'regionCode', '{siblingTownship}'),
      bad('type', 'role', 'admin'),
    ]),
    {
      name: 'edit user: another county’s staff resets a password',
      family: 'forged',
      as: 'otherCounty',
      path: '/admin/users/{neighbourId}',
      form: { intent: 'reset' },
      status: 404,
    },
    {
      name: 'edit user: station resets another township’s collector',
      family: 'forged',
      as: 'station',
      path: '/admin/users/{otherTownshipUserId}',
      form: { intent: 'reset' },
      status: 404,
    },
    {
      name: 'edit user: station unlocks another township’s collector',
      family: 'forged',
      as: 'station',
      path: '/admin/users/{otherTownshipUserId}',
      form: { intent: 'unlock' },
      status: 404,
    },
    {
      name: 'edit user: station changes its collector’s role',
      family: 'forged',
      as: 'station',
      path: '/admin/users/{neighbourId}',
      form: { intent: 'changeRole', role: 'expert' },
      status: 403,
    },
    {
      name: 'edit user: a collector edits itself up',
      family: 'forged',
      as: 'collector',
      path: '/admin/users/{collectorId}',
      form: { ...editUser, regionCode: '{village}', role: 'station_manager' },
      status: 404,
    },
  );
  for (const id of ['%00', encodeURIComponent(SQL.or), '1e9'])
    add({ name: `edit user: id ${id}`, family: 'path', as: 'admin', path: `/admin/users/${id}`, form: { intent: 'reset' }, status: 404 });

  // ── Region profile ─────────────────────────────────────────────────────────────────────────
  const profile = { introMd: '平原街道位于市区东部。', address: '', openingHours: '', contactName: '', contactPhone: '' };
  add(
    ...tweaked('region profile', { as: 'station', path: '/admin/regions/{township}' }, profile, [
      bad('overlong', 'address', LONG.k10),
      bad('overlong', 'openingHours', LONG.k10),
      bad('overlong', 'contactName', LONG.k10),
      bad('overlong', 'introMd', LONG.m1),
      bad('xss', 'contactPhone', XSS.script),
      bad('sql', 'contactPhone', SQL.or),
      bad('type', 'contactPhone', '+86 abc'),
    ]),
    { name: 'region profile: invalid UTF-8 in address', family: 'utf8', as: 'station', path: '/admin/regions/{township}', form: profile, invalidUtf8: 'address' },
    { name: 'region profile: another township', family: 'forged', as: 'station', path: '/admin/regions/{siblingTownship}', form: profile, status: 403 },
    { name: 'region profile: the county above', family: 'forged', as: 'station', path: '/admin/regions/{county}', form: profile, status: 403 },
    { name: 'region profile: a region that does not exist', family: 'region', as: 'county', path: '/admin/regions/411402999', form: profile, status: 404 },
    {
      name: 'region profile: Markdown with script, raw HTML and javascript: links is shown as text',
      family: 'xss',
      as: 'station',
      path: '/admin/regions/{township}',
      form: { ...profile, introMd: [XSS.script, XSS.mdLink, XSS.mdRawHtml, XSS.mdImage, XSS.mdDataUrl, XSS.mdAutolink].join('\n\n'), address: XSS.attrBreakout },
      accept: { render: { as: 'anonymous', path: '/township/{township}' }, contains: XSS.script },
    },
  );

  // ── Listings ───────────────────────────────────────────────────────────────────────────────
  const listing = listingFields();
  const newListing = { as: 'collector' as const, path: '/admin/listings/new', multipart: true };
  add(
    ...tweaked('new listing', newListing, listing, [
      ...regionAttacks('villageCode', { foreign: '{otherCountyVillage}', missing: '411402001999', wrongLevel: '{township}' }),
      ...textAttacks('title'),
      bad('xss', 'category', XSS.script),
      bad('sql', 'priceUnit', SQL.drop),
      ...amountAttacks('price'),
      bad('type', 'supplyFrom', '13'),
      bad('type', 'supplyFrom', WRONG.fraction),
      bad('type', 'supplyFrom', WRONG.hex),
      bad('type', 'supplyTo', WRONG.negative),
      bad('xss', 'contactPhone', XSS.imgOnerror),
      bad('sql', 'contactPhone', SQL.drop),
      bad('overlong', 'contactPhone', LONG.k10),
      ...textAttacks('contactName'),
      bad('overlong', 'descriptionMd', LONG.m1),
      bad('overlong', 'quantity', LONG.k10),
      // Structured details (issue 21).
      ...textAttacks('variety', { required: false }),
      bad('xss', 'variety', XSS.attrBreakout),
      bad('xss', 'specValue_0', XSS.imgOnerror),
      bad('overlong', 'specKey_0', LONG.k10),
      ...amountAttacks('minOrderQty'),
      bad('sql', 'minOrderUnit', SQL.drop),
      bad('sql', 'shipFrom', SQL.or),
      bad('xss', 'sellerType', XSS.script),
    ]),
    { name: 'new listing: invalid UTF-8 in the title', family: 'utf8', as: 'collector', path: '/admin/listings/new', multipart: { fields: listing }, invalidUtf8: 'title' },
    {
      name: 'new listing: another village first in a repeated field',
      family: 'duplicate',
      as: 'collector',
      path: '/admin/listings/new',
      multipart: { fields: [...Object.entries({ ...listing, villageCode: '{otherCountyVillage}' }), ['villageCode', '{village}']] },
      status: 403,
    },
    { name: 'new listing: from another site', family: 'csrf', as: 'collector', path: '/admin/listings/new', multipart: { fields: listing }, origin: 'foreign', status: 403 },
    {
      name: 'new listing: a multipart type without a boundary',
      family: 'contentType',
      as: 'collector',
      path: '/admin/listings/new',
      raw: { contentType: 'multipart/form-data', text: 'title=x' },
    },
    {
      name: 'new listing: an XML body',
      family: 'contentType',
      as: 'collector',
      path: '/admin/listings/new',
      raw: { contentType: 'application/xml', text: '<listing><title>x</title></listing>' },
    },
    { name: 'new listing: a body declared larger than any upload may be', family: 'oversize', as: 'collector', path: '/admin/listings/new', declaredLength: 200 * MB, status: 413 },
    ...withFiles('new listing', newListing, listing, [
      file('photos', 'pngBomb', 'bomb.png', 'image/png', 'bomb', 413),
      file('photos', 'jpegBomb', 'bomb.jpg', 'image/jpeg', 'bomb', 413),
      file('photos', 'zeroWidthPng', 'zero.png', 'image/png', 'bomb'),
      file('photos', 'gifHtml', 'photo.gif', 'image/gif', 'polyglot', 415),
      file('photos', 'jpegHtml', 'photo.jpg', 'image/jpeg', 'polyglot', 415),
      file('photos', 'svg', 'photo.jpg', 'image/jpeg', 'polyglot', 415),
      file('photos', 'zip', 'photo.png', 'image/png', 'polyglot', 415),
      file('photos', 'truncatedJpeg', 'cut.jpg', 'image/jpeg', 'polyglot', 415),
      file('photos', 'html', 'photo.jpg', 'image/jpeg', 'polyglot', 415),
      file('photos', 'exe', 'photo.jpg', 'image/jpeg', 'polyglot', 415),
      file('photos', 16 * MB, 'huge.jpg', 'image/jpeg', 'oversize', 413),
    ]),
    {
      name: 'new listing: seven photos',
      family: 'oversize',
      as: 'collector',
      path: '/admin/listings/new',
      multipart: { fields: listing, files: Array.from({ length: 7 }, (_, i) => ({ field: 'photos', data: 'validPng' as const, name: `p${i}.png`, type: 'image/png' })) },
      status: 400,
    },
  );
  const ownListing = { as: 'collector' as const, path: '/admin/listings/{ownListing}', multipart: true };
  add(
    ...tweaked('edit listing', ownListing, { ...listing, intent: 'draft' }, [
      bad('blank', 'title', BLANK.ideographic),
      bad('type', 'price', '1e3'),
      bad('type', 'supplyFrom', ''),
      bad('xss', 'priceUnit', XSS.imgOnerror),
      // Copied into the Location header after the save, a CR/LF answered 500 with the change made.
      bad('forged', 'intent', 'draft\r\nSet-Cookie: hostile=1', 400),
      bad('forged', 'intent', 'publish', 400),
    ]),
    { name: 'edit listing: another collector’s listing', family: 'forged', as: 'collector', path: '/admin/listings/{otherListing}', multipart: { fields: listing }, status: 404 },
    {
      name: 'edit listing: archive another collector’s listing',
      family: 'forged',
      as: 'collector',
      path: '/admin/listings/{otherListing}',
      multipart: { fields: { intent: 'archive' } },
      status: 404,
    },
    { name: 'edit listing: renew another collector’s listing', family: 'forged', as: 'collector', path: '/admin/listings/{otherListing}', form: { intent: 'renew' }, status: 404 },
    { name: 'edit listing: another county’s staff', family: 'forged', as: 'otherCounty', path: '/admin/listings/{ownListing}', multipart: { fields: listing }, status: 404 },
    {
      name: 'edit listing: a photo that is a PNG and an HTML page is re-encoded, its title shown as text',
      family: 'polyglot',
      as: 'collector',
      path: '/admin/listings/{ownListing}',
      multipart: {
        fields: { ...listing, title: XSS.imgOnerror, descriptionMd: [XSS.script, XSS.mdLinkMixedCase, XSS.mdForeignImage].join('\n\n'), intent: 'draft' },
        files: [{ field: 'photos', data: 'pngHtml', name: 'photo.png', type: 'image/png' }],
      },
      accept: { render: { as: 'collector', path: '/admin/listings/{ownListing}' }, contains: XSS.imgOnerror },
    },
  );
  for (const id of BAD_IDS.slice(0, 5))
    add({ name: `edit listing: id ${id}`, family: 'path', as: 'collector', path: `/admin/listings/${id}`, form: { intent: 'archive' }, status: 404 });

  const review = { decision: 'reject', id: '{pendingListing}', reason: '照片不清楚' };
  add(
    ...tweaked('review', { as: 'station', path: '/admin/review' }, review, [
      ...textAttacks('reason'),
      bad('type', 'id', WRONG.huge),
      bad('type', 'id', WRONG.negative),
      bad('sql', 'id', SQL.or),
      bad('forged', 'id', '{ownListing}'),
    ]),
    { name: 'review: approve a listing of another county', family: 'forged', as: 'otherCounty', path: '/admin/review', form: { decision: 'approve', id: '{pendingListing}' } },
    { name: 'review: a collector may not review', family: 'forged', as: 'collector', path: '/admin/review', form: { decision: 'approve', id: '{pendingListing}' }, status: 403 },
  );

  // ── Prices ─────────────────────────────────────────────────────────────────────────────────
  const observation = { marketId: '{market}', commodityId: '1', observedOn: '{today}', minPrice: '', maxPrice: '', avgPrice: '1.5', variety: '', unit: '', source: '' };
  add(
    ...tweaked('price entry', { as: 'county', path: '/admin/prices/new' }, observation, [
      ...amountAttacks('avgPrice'),
      bad('blank', 'avgPrice', BLANK.zeroWidth),
      bad('type', 'minPrice', '9'),
      bad('date', 'observedOn', WRONG.feb30),
      bad('date', 'observedOn', WRONG.month13),
      bad('date', 'observedOn', WRONG.farFuture),
      bad('date', 'observedOn', WRONG.farPast),
      bad('sql', 'observedOn', SQL.drop),
      bad('forged', 'marketId', '{otherMarket}', 403),
      bad('type', 'marketId', '1e9'),
      bad('type', 'marketId', WRONG.negative),
      bad('type', 'commodityId', WRONG.fraction),
      bad('xss', 'commodityId', XSS.script),
      bad('overlong', 'source', LONG.k10),
      bad('overlong', 'variety', LONG.k10),
    ]),
    { name: 'price delete: another county’s observation', family: 'forged', as: 'county', path: '/admin/prices', form: { id: '{otherObservation}' } },
    { name: 'price delete: id is not a number', family: 'type', as: 'county', path: '/admin/prices', form: { id: SQL.or } },
    { name: 'price delete: a collector may not', family: 'forged', as: 'collector', path: '/admin/prices', form: { id: '{otherObservation}' }, status: 403 },
  );
  const market = { name: '新的测试市场', regionCode: '{county}', address: '' };
  add(
    ...tweaked('new market', { as: 'county', path: '/admin/prices/markets' }, market, [
      ...textAttacks('name'),
      bad('region', 'regionCode', '{siblingCounty}', 403),
      bad('region', 'regionCode', '{village}'),
      bad('region', 'regionCode', '411499'),
      bad('sql', 'regionCode', SQL.or),
      bad('overlong', 'address', LONG.k10),
    ]),
    { name: 'edit market: another county’s market', family: 'forged', as: 'county', path: '/admin/prices/markets/{otherMarket}', form: market, status: 404 },
    { name: 'edit market: id is not a number', family: 'path', as: 'county', path: '/admin/prices/markets/abc', form: market, status: 404 },
  );
  const commodity = { slug: 'hx-mung-bean', name: '绿豆', nameEn: '', category: 'grain', unit: '斤' };
  add(
    ...tweaked('new commodity', { as: 'county', path: '/admin/prices/commodities' }, commodity, [
      bad('xss', 'slug', XSS.script),
      bad('sql', 'slug', SQL.drop),
      bad('overlong', 'slug', LONG.k10),
      bad('type', 'slug', '绿豆'),
      bad('xss', 'category', XSS.imgOnerror),
      ...textAttacks('unit'),
      bad('blank', 'name', BLANK.zeroWidth),
    ]),
    { name: 'edit commodity: a city-wide commodity by county staff', family: 'forged', as: 'county', path: '/admin/prices/commodities/1', form: commodity, status: 404 },
  );

  // ── Local purchase prices (本地收购价) ──────────────────────────────────────────────────────
  const purchasePoint = { name: '测试收购站', kind: 'station', regionCode: '{village}', address: '' };
  add(
    ...tweaked('new collection point', { as: 'collector', path: '/admin/purchase/points' }, purchasePoint, [
      ...textAttacks('name'),
      bad('xss', 'kind', XSS.script),
      bad('sql', 'kind', SQL.or),
      bad('region', 'regionCode', '{siblingVillage}', 403),
      bad('region', 'regionCode', '{otherCountyVillage}', 403),
      bad('region', 'regionCode', '{township}', 403),
      bad('region', 'regionCode', '411402001999'),
      bad('sql', 'regionCode', SQL.or),
      bad('overlong', 'address', LONG.k10),
    ]),
    {
      name: 'new collection point: a county is no village or township',
      family: 'region',
      as: 'county',
      path: '/admin/purchase/points',
      form: { ...purchasePoint, regionCode: '{county}' },
      status: 400,
    },
    { name: 'edit collection point: another village’s point', family: 'forged', as: 'collector', path: '/admin/purchase/points/{otherPoint}', form: purchasePoint, status: 404 },
    { name: 'edit collection point: id is not a number', family: 'path', as: 'collector', path: '/admin/purchase/points/abc', form: purchasePoint, status: 404 },
  );
  // ── Buy requests (求购) ──────────────────────────────────────────────────────────────────────
  const wanted = {
    intent: 'save',
    regionCode: '{township}',
    product: '酥梨',
    category: 'fruit',
    variety: '',
    specs: '',
    quantity: '5000',
    unit: 'jin',
    origin: '',
    deliveryPlace: '',
    deadline: '{wantedDeadline}',
    contactMode: 'own',
    contactName: '王经理',
    contactPhone: '13900001111',
  };
  add(
    ...tweaked('new buy request', { as: 'station', path: '/admin/wanted/new' }, wanted, [
      ...textAttacks('product'),
      ...textAttacks('specs', { required: false }),
      ...textAttacks('contactName'),
      bad('xss', 'category', XSS.script),
      bad('sql', 'unit', SQL.or),
      bad('type', 'quantity', WRONG.negative),
      bad('type', 'quantity', WRONG.fraction),
      bad('type', 'quantity', WRONG.huge),
      bad('type', 'quantity', WRONG.hex),
      bad('date', 'deadline', WRONG.feb30),
      bad('date', 'deadline', WRONG.farFuture),
      bad('date', 'deadline', '2020-01-01'),
      bad('sql', 'deadline', SQL.drop),
      bad('type', 'contactPhone', WRONG.text),
      bad('xss', 'contactMode', XSS.script),
      bad('region', 'regionCode', '{siblingTownship}', 403),
      bad('region', 'regionCode', '{village}'),
      bad('region', 'regionCode', '{county}', 403),
      bad('sql', 'regionCode', SQL.or),
    ]),
    { name: 'new buy request: a collector may not post', family: 'auth', as: 'collector', path: '/admin/wanted/new', form: wanted, status: 403 },
    { name: 'edit buy request: another township’s request', family: 'forged', as: 'station', path: '/admin/wanted/{otherWanted}', form: wanted, status: 404 },
    { name: 'close buy request: another township’s request', family: 'forged', as: 'station', path: '/admin/wanted/{otherWanted}', form: { intent: 'close' }, status: 404 },
    { name: 'buy request: an unknown intent', family: 'forged', as: 'station', path: '/admin/wanted/{ownWanted}', form: { intent: 'delete' }, status: 400 },
    { name: 'edit buy request: id is not a number', family: 'path', as: 'station', path: '/admin/wanted/abc', form: wanted, status: 404 },
    { name: 'supply: listing id is not a number', family: 'type', as: 'collector', path: '/admin/wanted/{ownWanted}/supply', form: { listingId: WRONG.hex }, status: 400 },
    { name: 'supply: another village’s listing', family: 'forged', as: 'collector', path: '/admin/wanted/{ownWanted}/supply', form: { listingId: '{otherListing}' }, status: 400 },
    { name: 'supply: a listing of SQL', family: 'sql', as: 'collector', path: '/admin/wanted/{ownWanted}/supply', form: { listingId: SQL.or }, status: 400 },
    { name: 'supply: an unknown request', family: 'path', as: 'collector', path: '/admin/wanted/999999999/supply', form: { listingId: '{ownListing}' }, status: 404 },
  );
  // ── Directory (主体名录) ────────────────────────────────────────────────────────────────────
  const entity = {
    intent: 'save',
    kind: 'cooperative',
    name: '某某辣椒专业合作社',
    regionCode: '{village}',
    tags: '辣椒 大蒜',
    certifications: '',
    creditCode: '91350100M000100Y43',
    contactName: '张社长',
    contactPhone: '13900003333',
    description: '',
  };
  add(
    ...tweaked('propose directory entry', { as: 'collector', path: '/admin/directory/new' }, entity, [
      ...textAttacks('name'),
      ...textAttacks('description', { required: false }),
      bad('xss', 'kind', XSS.script),
      bad('overlong', 'tags', LONG.k10),
      bad('type', 'creditCode', '91350100M000100Y44'),
      bad('sql', 'creditCode', SQL.drop),
      bad('type', 'contactPhone', WRONG.text),
      bad('region', 'regionCode', '{siblingVillage}', 403),
      bad('region', 'regionCode', '{city}'),
      bad('sql', 'regionCode', SQL.or),
    ]),
    { name: 'directory entry: an unknown intent', family: 'forged', as: 'county', path: '/admin/directory/{ownEntity}', form: { intent: 'delete' }, status: 400 },
    { name: 'approve directory entry: another county’s entry', family: 'forged', as: 'county', path: '/admin/directory/{otherEntity}', form: { intent: 'reject' }, status: 404 },
    { name: 'edit directory entry: a collector may not', family: 'auth', as: 'collector', path: '/admin/directory/{ownEntity}', form: entity, status: 404 },
    { name: 'edit directory entry: id is not a number', family: 'path', as: 'county', path: '/admin/directory/abc', form: entity, status: 404 },
    { name: 'directory import preview: unknown id', family: 'path', as: 'county', path: '/admin/directory/import/{ownEntity}', form: { intent: 'import' }, status: 404 },
  );
  const purchasePrice = { pointId: '{ownPoint}', commodityId: '1', observedOn: '{today}', unit: '', price: '1.3', note: '' };
  add(
    ...tweaked('purchase price entry', { as: 'collector', path: '/admin/purchase/new' }, purchasePrice, [
      ...amountAttacks('price'),
      bad('blank', 'price', BLANK.zeroWidth),
      bad('date', 'observedOn', WRONG.feb30),
      bad('date', 'observedOn', WRONG.farFuture),
      bad('sql', 'observedOn', SQL.drop),
      bad('forged', 'pointId', '{otherPoint}', 404),
      bad('type', 'pointId', '1e9'),
      bad('type', 'pointId', WRONG.negative),
      bad('type', 'commodityId', WRONG.fraction),
      bad('xss', 'commodityId', XSS.script),
      bad('overlong', 'note', LONG.k10),
      bad('overlong', 'unit', LONG.k10),
    ]),
    {
      name: 'purchase review: approve another county’s price',
      family: 'forged',
      as: 'county',
      path: '/admin/purchase',
      form: { intent: 'approve', ids: '{otherPurchase}' },
      status: 404,
    },
    {
      name: 'purchase review: its own button, another county’s price',
      family: 'forged',
      as: 'county',
      path: '/admin/purchase',
      form: { intent: 'reject:{otherPurchase}' },
      status: 404,
    },
    {
      name: 'purchase review: a collector may not approve',
      family: 'auth',
      as: 'collector',
      path: '/admin/purchase',
      form: { intent: 'approve', ids: '{ownPurchase}' },
      status: 403,
    },
    {
      name: 'purchase review: a station manager may not approve',
      family: 'auth',
      as: 'station',
      path: '/admin/purchase',
      form: { intent: 'approve', ids: '{ownPurchase}' },
      status: 403,
    },
    { name: 'purchase review: nothing ticked', family: 'blank', as: 'county', path: '/admin/purchase', form: { intent: 'approve' }, status: 400 },
    { name: 'purchase review: an unknown intent', family: 'forged', as: 'county', path: '/admin/purchase', form: { intent: 'publish', ids: '{ownPurchase}' }, status: 400 },
    {
      name: 'purchase review: ids that are not numbers',
      family: 'type',
      as: 'county',
      path: '/admin/purchase',
      form: [
        ['intent', 'approve'],
        ['ids', SQL.or],
        ['ids', '0x10'],
      ],
      status: 404,
    },
    {
      name: 'purchase review: from another site',
      family: 'csrf',
      as: 'county',
      path: '/admin/purchase',
      form: { intent: 'approve', ids: '{ownPurchase}' },
      origin: 'foreign',
      status: 403,
    },
  );
  // Region facts (issue 22): the entry form, the county's tag review and the facts import.
  const facts = { asOf: '2026-06-30', households: '300', industries: '辣椒' };
  add(
    ...tweaked('region facts', { as: 'collector', path: '/admin/regions/{village}/facts' }, facts, [
      bad('type', 'households', '12abc', 400),
      bad('type', 'households', '-1', 400),
      bad('type', 'broadbandPercent', '101', 400),
      bad('type', 'arableMu', '1e9', 400),
      bad('date', 'asOf', '2026-02-30', 400),
      bad('blank', 'asOf', '', 400),
      bad('overlong', 'industries', '辣'.repeat(21), 400),
      bad('sql', 'households', "1' OR '1'='1", 400),
    ]),
    { name: 'region facts: a neighbouring village', family: 'forged', as: 'collector', path: '/admin/regions/{siblingVillage}/facts', form: facts, status: 404 },
    { name: 'region facts: the township, as a collector', family: 'auth', as: 'collector', path: '/admin/regions/{township}/facts', form: facts, status: 404 },
    { name: 'region facts: another county', family: 'forged', as: 'county', path: '/admin/regions/{otherCountyVillage}/facts', form: facts, status: 404 },
    { name: 'region facts: the city', family: 'region', as: 'admin', path: '/admin/regions/{city}/facts', form: facts, status: 404 },
    { name: 'region facts: an unknown intent', family: 'forged', as: 'collector', path: '/admin/regions/{village}/facts', form: { ...facts, intent: 'delete' }, status: 400 },
    { name: 'region facts: anonymous', family: 'auth', as: 'anonymous', path: '/admin/regions/{village}/facts', form: facts, redirect: '/login' },
    { name: 'fact tag review: a station manager', family: 'auth', as: 'station', path: '/admin/facts', form: { intent: 'approve', tag: '辣椒' }, status: 403 },
    { name: 'fact tag review: an unknown tag', family: 'forged', as: 'county', path: '/admin/facts', form: { intent: 'approve', tag: '不存在的产业' }, status: 404 },
    { name: 'fact tag review: an approved tag', family: 'forged', as: 'county', path: '/admin/facts', form: { intent: 'reject', tag: '辣椒' }, status: 404 },
    { name: 'facts import: no file', family: 'blank', as: 'county', path: '/admin/facts', multipart: { fields: { intent: 'upload' } }, status: 400 },
    ...withFiles('facts import', { as: 'county', path: '/admin/facts' }, { intent: 'upload' }, [
      file('file', 'exe', 'facts.csv', 'text/csv', 'polyglot'),
      file('file', 'zip', 'facts.csv', 'text/csv', 'polyglot'),
      file('file', 6 * MB, 'facts.csv', 'text/csv', 'oversize', 413),
    ]),
    { name: 'facts import: confirming a made-up id', family: 'path', as: 'county', path: `/admin/facts/import/${encodeURIComponent('../../etc/passwd')}`, form: {}, status: 404 },
  );
  const importTarget = { as: 'county' as const, path: '/admin/prices/import' };
  add(
    { name: 'price import: no file', family: 'blank', as: 'county', path: '/admin/prices/import', multipart: { fields: { marketId: '' } }, status: 400 },
    ...withFiles('price import', importTarget, { marketId: '' }, [
      file('file', 'exe', 'prices.csv', 'text/csv', 'polyglot'),
      file('file', 'zip', 'prices.csv', 'text/csv', 'polyglot'),
      file('file', 'pngBomb', 'prices.csv', 'text/csv', 'polyglot'),
      file('file', 6 * MB, 'prices.csv', 'text/csv', 'oversize', 413),
    ]),
    {
      name: 'price import: another county’s market as default',
      family: 'forged',
      as: 'county',
      path: '/admin/prices/import',
      multipart: { fields: { marketId: '{otherMarket}' }, files: [{ field: 'file', data: 'validCsv', name: 'p.csv', type: 'text/csv' }] },
      status: 403,
    },
    {
      name: 'price import: market id is not a number',
      family: 'type',
      as: 'county',
      path: '/admin/prices/import',
      multipart: { fields: { marketId: WRONG.nan }, files: [{ field: 'file', data: 'validCsv', name: 'p.csv', type: 'text/csv' }] },
    },
    { name: 'price import: confirming a file with bad rows', family: 'type', as: 'county', path: '/admin/prices/import/{badImport}', form: {}, status: 422 },
    { name: 'price import: confirming another county’s file', family: 'forged', as: 'county', path: '/admin/prices/import/{otherImport}', form: {}, status: 404 },
    { name: 'price import: confirming a made-up id', family: 'path', as: 'county', path: `/admin/prices/import/${encodeURIComponent('../../etc/passwd')}`, form: {}, status: 404 },
    {
      name: 'price import: creating a commodity with a made-up category',
      family: 'type',
      as: 'county',
      path: '/admin/prices/import/{badImport}',
      form: { intent: 'create', 'commodity-0': '不存在的商品', 'category-0': XSS.imgOnerror },
      status: 400,
    },
    {
      name: 'price import: only the valid rows of a file without any',
      family: 'type',
      as: 'county',
      path: '/admin/prices/import/{badImport}',
      form: { intent: 'import', mode: 'skip' },
      status: 422,
    },
    { name: 'price import: refused rows of another county’s file', family: 'forged', as: 'county', method: 'GET', path: '/admin/prices/import/{otherImport}.csv', status: 404 },
    {
      name: 'price import: cells with markup are previewed as text',
      family: 'xss',
      as: 'county',
      path: '/admin/prices/import',
      multipart: { fields: { marketId: '' }, files: [{ field: 'file', data: 'xssCsv', name: `${XSS.attrBreakout}.csv`, type: 'text/csv' }] },
      accept: { render: { as: 'county', path: '{location}' }, contains: XSS.imgOnerror },
    },
  );

  // ── Trainings ──────────────────────────────────────────────────────────────────────────────
  const session = sessionFields('{county}');
  add(
    ...tweaked('new training', { as: 'county', path: '/admin/trainings/new' }, session, [
      bad('region', 'countyCode', '{siblingCounty}', 403),
      bad('region', 'countyCode', '{village}'),
      bad('region', 'countyCode', '411499'),
      bad('sql', 'countyCode', SQL.or),
      ...textAttacks('title'),
      bad('date', 'startsAt', '2026-02-30T10:00'),
      bad('date', 'startsAt', WRONG.nan),
      bad('date', 'startsAt', '9999-12-31T10:00'),
      bad('date', 'endsAt', '2000-01-01T10:00'),
      bad('date', 'signupDeadline', '9999-01-01T00:00'),
      bad('type', 'capacity', WRONG.huge),
      bad('type', 'capacity', WRONG.negative),
      bad('type', 'capacity', '0'),
      bad('type', 'capacity', WRONG.hex),
      bad('type', 'capacity', '1e3'),
      bad('type', 'capacity', '三十'),
      bad('overlong', 'descriptionMd', LONG.m1),
      bad('overlong', 'location', LONG.k10),
    ]),
    {
      name: 'edit training: another county’s training',
      family: 'forged',
      as: 'county',
      path: '/admin/trainings/{otherTraining}',
      form: { ...session, intent: 'save' },
      status: 404,
    },
    {
      name: 'cancel training: by another county’s staff',
      family: 'forged',
      as: 'otherCounty',
      path: '/admin/trainings/{training}',
      form: { intent: 'cancel', cancelNote: '' },
      status: 404,
    },
    { name: 'cancel training: an overlong note', family: 'overlong', as: 'county', path: '/admin/trainings/{training}', form: { intent: 'cancel', cancelNote: LONG.k10 } },
    { name: 'attendance: a signup of another county’s training', family: 'forged', as: 'county', path: '/admin/trainings/{training}/roster', form: { signupId: '{otherSignup}' } },
    { name: 'attendance: signup id is not a number', family: 'type', as: 'county', path: '/admin/trainings/{training}/roster', form: { signupId: WRONG.nan } },
    {
      name: 'attendance: by another county’s staff',
      family: 'forged',
      as: 'otherCounty',
      path: '/admin/trainings/{training}/roster',
      form: { signupId: '{otherSignup}' },
      status: 404,
    },
  );
  for (const id of BAD_IDS.slice(0, 4))
    add({ name: `edit training: id ${id}`, family: 'path', as: 'county', path: `/admin/trainings/${id}`, form: { intent: 'complete' }, status: 404 });
  const base = { name: '梁园区农民培训基地', address: '', contactName: '', contactPhone: '', introMd: '' };
  add(
    ...tweaked('training base', { as: 'county', path: '/admin/trainings/base/{county}' }, base, [
      ...textAttacks('name'),
      bad('xss', 'contactPhone', XSS.script),
      bad('sql', 'contactPhone', SQL.quote),
      bad('overlong', 'introMd', LONG.m1),
    ]),
    { name: 'training base: another county', family: 'forged', as: 'county', path: '/admin/trainings/base/{siblingCounty}', form: base, status: 403 },
    { name: 'training base: the city code', family: 'region', as: 'admin', path: '/admin/trainings/base/{city}', form: base, status: 404 },
  );
  const notice = { countyCode: '{county}', title: '培训通知', bodyMd: '', publishedOn: '{today}' };
  add(
    ...tweaked('training notice', { as: 'county', path: '/admin/trainings/notices' }, notice, [
      bad('region', 'countyCode', '{siblingCounty}', 403),
      bad('region', 'countyCode', '{township}'),
      ...textAttacks('title'),
      bad('date', 'publishedOn', WRONG.feb30),
      bad('date', 'publishedOn', WRONG.farFuture),
      bad('sql', 'publishedOn', SQL.like),
      bad('overlong', 'bodyMd', LONG.m1),
    ]),
    { name: 'training notice: delete another county’s notice', family: 'forged', as: 'county', path: '/admin/trainings/notices', form: { intent: 'delete', id: '{otherNotice}' } },
    { name: 'training notice: delete id is SQL', family: 'sql', as: 'county', path: '/admin/trainings/notices', form: { intent: 'delete', id: SQL.or } },
    {
      name: 'training notice: Markdown tricks are shown as text',
      family: 'xss',
      as: 'county',
      path: '/admin/trainings/notices',
      form: { ...notice, title: XSS.svgScript, bodyMd: [XSS.iframe, XSS.mdLinkEntity, XSS.mdRawHtml].join('\n\n') },
      accept: { render: { as: 'anonymous', path: '/county/{county}' }, contains: XSS.svgScript },
    },
  );
  const duty = { intent: 'add', regionCode: '{township}', name: '平原值班', phone: '13800138000' };
  add(
    ...tweaked('duty phone', { as: 'county', path: '/admin/duty' }, duty, [
      ...regionAttacks('regionCode', { foreign: '{siblingCounty}', missing: '411402999', wrongLevel: '{village}' }),
      bad('region', 'regionCode', '{city}'),
      ...textAttacks('name'),
      bad('type', 'phone', '0370-2345678'),
      bad('type', 'phone', WRONG.text),
      bad('xss', 'phone', XSS.script),
      bad('sql', 'phone', SQL.or),
      bad('overlong', 'phone', LONG.k10),
    ]),
    { name: 'duty phone: remove another county’s entry', family: 'forged', as: 'county', path: '/admin/duty', form: { intent: 'remove', id: '{otherDuty}' }, status: 404 },
    { name: 'duty phone: remove id is SQL', family: 'sql', as: 'county', path: '/admin/duty', form: { intent: 'remove', id: SQL.or }, status: 404 },
    { name: 'duty phone: a station manager', family: 'auth', as: 'station', path: '/admin/duty', form: duty, status: 403 },
  );
  const signup = { name: '张三', phone: '13700137000', villageCode: '{village}' };
  add(
    ...tweaked('training signup', { as: 'anonymous', path: '/trainings/{training}' }, signup, [
      ...textAttacks('name'),
      bad('xss', 'phone', XSS.script),
      bad('sql', 'phone', SQL.or),
      bad('overlong', 'phone', LONG.k10),
      bad('blank', 'phone', BLANK.empty),
      bad('type', 'phone', '１３８ａ００１３８０００'),
      bad('overlong', 'phone', `138${'－'.repeat(20)}00138000`),
      ...regionAttacks('villageCode', { foreign: '{otherCountyVillage}', missing: '411402001999', wrongLevel: '{township}' }),
    ]),
    { name: 'training signup: invalid UTF-8 in the name', family: 'utf8', as: 'anonymous', path: '/trainings/{training}', form: signup, invalidUtf8: 'name' },
    { name: 'training signup: a village of the wrong county', family: 'region', as: 'anonymous', path: '/trainings/{otherTraining}', form: signup },
    { name: 'training signup: from another site', family: 'csrf', as: 'anonymous', path: '/trainings/{training}', form: signup, origin: 'foreign', status: 403 },
    ...tweaked('signup cancel', { as: 'anonymous', path: '/trainings/{training}' }, { intent: 'cancel', cancelPhone: '13700137000', ref: 'ABCDEF' }, [
      bad('sql', 'ref', SQL.or),
      bad('xss', 'ref', XSS.script),
      bad('blank', 'cancelPhone', BLANK.spaces),
      bad('forged', 'ref', 'ZZZZZZ'),
    ]),
  );

  // A farmer's question on /ask (anonymous, multipart with up to three photos).
  const question = { phone: '13700137000', villageCode: '{village}', category: 'planting', title: '小麦叶子发黄怎么办', body: '返青后叶尖发黄，一片一片的。', consent: 'on' };
  const ask = { as: 'anonymous' as const, path: '/ask', multipart: true };
  add(
    ...tweaked('ask', ask, question, [
      ...textAttacks('title'),
      ...textAttacks('body'),
      bad('xss', 'phone', XSS.script),
      bad('sql', 'phone', SQL.or),
      bad('type', 'category', 'weather'),
      bad('sql', 'category', SQL.or),
      ...regionAttacks('villageCode', { foreign: '411402001999', missing: '411499001001', wrongLevel: '{township}' }),
    ]),
    ...withFiles('ask', { as: 'anonymous', path: '/ask' }, question, [
      file('photos', 'pngBomb', 'bomb.png', 'image/png', 'bomb', 413),
      file('photos', 'svg', 'photo.jpg', 'image/jpeg', 'polyglot', 415),
      file('photos', 'html', 'photo.jpg', 'image/jpeg', 'polyglot', 415),
      file('photos', 16 * MB, 'huge.jpg', 'image/jpeg', 'oversize', 413),
    ]),
    {
      name: 'ask: four photos',
      family: 'oversize',
      as: 'anonymous',
      path: '/ask',
      multipart: { fields: question, files: Array.from({ length: 4 }, (_, i) => ({ field: 'photos', data: 'validPng' as const, name: `p${i}.png`, type: 'image/png' })) },
      status: 400,
    },
    { name: 'ask: a body declared larger than three photos', family: 'oversize', as: 'anonymous', path: '/ask', declaredLength: 200 * MB, status: 413 },
    { name: 'ask: from another site', family: 'csrf', as: 'anonymous', path: '/ask', form: question, origin: 'foreign', status: 403 },
    {
      name: 'question: another township’s question, answered',
      family: 'forged',
      as: 'station',
      path: '/admin/questions/{otherQuestion}',
      form: { intent: 'answer', answerMd: '这是一个不该被保存的答复。' },
      status: 404,
    },
    { name: 'question: an unknown intent', family: 'forged', as: 'station', path: '/admin/questions/{question}', form: { intent: 'delete' }, status: 400 },
    { name: 'question: merge into itself', family: 'forged', as: 'station', path: '/admin/questions/{question}', form: { intent: 'merge', into: '{question}' }, status: 400 },
    { name: 'question: merge into SQL', family: 'sql', as: 'station', path: '/admin/questions/{question}', form: { intent: 'merge', into: SQL.or }, status: 400 },
    { name: 'question: assign a made-up expert', family: 'forged', as: 'county', path: '/admin/questions/{question}', form: { intent: 'assign', expertId: SQL.or } },
  );

  // Abuse of the anonymous sign-up form: bodies past its few KB, a phone someone signed up before
  // (answered like a first sign-up, not with a revealing 409), reference codes guessed in a row
  // (the hostile server allows 5 look-ups per address), and staff removing sign-ups outside their roster.
  add(
    { name: 'training signup: a body declared at 1 MB', family: 'oversize', as: 'anonymous', path: '/trainings/{training}', declaredLength: MB, status: 413 },
    {
      name: 'training signup: a 10 KB name is refused before it is read',
      family: 'oversize',
      as: 'anonymous',
      path: '/trainings/{training}',
      form: { ...signup, name: LONG.k10 },
      status: 413,
    },
    {
      name: 'training signup: a phone already signed up gets a code like a first sign-up',
      family: 'duplicate',
      as: 'anonymous',
      path: '/trainings/{otherTraining}',
      form: { name: '王五', phone: '13900139000', villageCode: '{otherCountyVillage}' },
      accept: { status: 303 },
    },
    ...['ZZZZZ2', 'ZZZZZ3', 'ZZZZZ4', 'ZZZZZ5', 'ZZZZZ6'].map(
      (ref): HostileCase => ({
        name: `training receipt: guessed code ${ref}`,
        family: 'forged',
        as: 'anonymous',
        method: 'GET',
        path: `/trainings/{training}?ref=${ref}`,
        accept: { status: 200 },
      }),
    ),
    { name: 'training receipt: one guess past the limit', family: 'forged', as: 'anonymous', method: 'GET', path: '/trainings/{training}?ref=ZZZZZ7', status: 429 },
    {
      name: 'roster removal: a sign-up of another session',
      family: 'forged',
      as: 'county',
      path: '/admin/trainings/{training}/roster',
      form: [
        ['intent', 'remove'],
        ['remove', '{otherSignup}'],
      ],
      status: 404,
    },
    {
      name: 'roster removal: ids that are not numbers',
      family: 'type',
      as: 'county',
      path: '/admin/trainings/{training}/roster',
      form: [
        ['intent', 'remove'],
        ['remove', SQL.or],
        ['remove', '0x10'],
      ],
      status: 404,
    },
    { name: 'roster removal: nothing ticked', family: 'blank', as: 'county', path: '/admin/trainings/{training}/roster', form: { intent: 'remove' }, status: 400 },
    {
      name: 'roster removal: on another county’s roster',
      family: 'forged',
      as: 'county',
      path: '/admin/trainings/{otherTraining}/roster',
      form: [
        ['intent', 'remove'],
        ['remove', '{otherSignup}'],
      ],
      status: 404,
    },
  );

  // ── Articles and the township library ──────────────────────────────────────────────────────
  const article = { regionCode: '{township}', kind: 'technical', title: '小麦播种要点', summary: '', bodyMd: '正文', status: 'draft' };
  add(
    ...tweaked('new article', { as: 'station', path: '/admin/articles/new' }, article, [
      bad('region', 'regionCode', '{siblingTownship}', 403),
      bad('region', 'regionCode', '{otherCountyVillage}', 403),
      bad('region', 'regionCode', '411402999'),
      bad('sql', 'regionCode', SQL.union),
      bad('xss', 'kind', XSS.script),
      bad('sql', 'status', SQL.drop),
      ...textAttacks('title'),
      bad('overlong', 'summary', LONG.k10),
      bad('overlong', 'bodyMd', LONG.m1),
      bad('blank', 'bodyMd', BLANK.controls),
    ]),
    {
      name: 'edit article: another county’s staff',
      family: 'forged',
      as: 'otherCounty',
      path: '/admin/articles/{article}',
      form: { ...article, regionCode: '{county}' },
      status: 404,
    },
    { name: 'delete article: another county’s staff', family: 'forged', as: 'otherCounty', path: '/admin/articles/{article}?delete=1', form: {}, status: 404 },
    { name: 'delete article: a station below the article', family: 'forged', as: 'station', path: '/admin/articles/{article}?delete=1', form: {}, status: 404 },
    // What county staff wrote for the township: the station may only propose changes (docs/ARTICLES.md).
    {
      name: 'edit article: a station changes what the county wrote for it',
      family: 'forged',
      as: 'station',
      path: '/admin/articles/{countyTownshipArticle}',
      form: { ...article, title: '改掉', status: 'unpublished', intent: 'save' },
      status: 403,
    },
    {
      name: 'delete article: a station deletes what the county wrote for it',
      family: 'forged',
      as: 'station',
      path: '/admin/articles/{countyTownshipArticle}?delete=1',
      form: {},
      status: 403,
    },
    {
      name: 'article proposal: a station accepts its own proposal',
      family: 'forged',
      as: 'station',
      path: '/admin/articles/{countyTownshipArticle}?decide=1',
      form: { proposalId: '{countyTownshipProposal}', decision: 'accept' },
      status: 403,
    },
    {
      name: 'article proposal: another county’s staff',
      family: 'forged',
      as: 'otherCounty',
      path: '/admin/articles/{countyTownshipArticle}?propose=1',
      form: { ...article, intent: 'save' },
      status: 404,
    },
    {
      name: 'article proposal: overlong note',
      family: 'overlong',
      as: 'station',
      path: '/admin/articles/{countyTownshipArticle}?propose=1',
      form: { ...article, note: LONG.k10, intent: 'save' },
      status: 400,
    },
    {
      name: 'article proposal: decision not a choice',
      family: 'type',
      as: 'county',
      path: '/admin/articles/{countyTownshipArticle}?decide=1',
      form: { proposalId: '{countyTownshipProposal}', decision: SQL.drop },
      status: 400,
    },
    {
      name: 'article proposal: id not a number',
      family: 'type',
      as: 'county',
      path: '/admin/articles/{countyTownshipArticle}?decide=1',
      form: { proposalId: '1e3', decision: 'reject' },
      status: 400,
    },
    { name: 'article preview: overlong', family: 'overlong', as: 'station', path: '/admin/articles/preview', form: { bodyMd: LONG.m1 }, status: 400 },
    { name: 'article preview: from another site', family: 'csrf', as: 'station', path: '/admin/articles/preview', form: { bodyMd: XSS.script }, origin: 'foreign', status: 403 },
    {
      name: 'article preview: scripts and links come back as text',
      family: 'xss',
      as: 'station',
      path: '/admin/articles/preview',
      form: { bodyMd: [XSS.script, XSS.mdLink, XSS.mdImage, XSS.mdRawHtml, XSS.mdAutolink].join('\n\n') },
      accept: { status: 200 },
    },
    {
      name: 'new article: every Markdown trick is published as text',
      family: 'xss',
      as: 'station',
      path: '/admin/articles/new',
      form: {
        ...article,
        status: 'published',
        title: XSS.attrBreakout,
        summary: XSS.singleQuoteBreakout,
        bodyMd: Object.values(XSS).join('\n\n'),
      },
      accept: { render: { as: 'anonymous', path: '/articles/{id}' }, contains: XSS.attrBreakout },
    },
  );
  // Grassroots articles (docs/ARTICLES.md): a collector's disclosure, county alerts, station jobs, the review queue.
  const disclosure = {
    regionCode: '{village}',
    kind: 'village_affairs',
    title: '一月财务收支公开',
    subject: 'finance',
    periodFrom: '2026-01',
    periodTo: '2026-01',
    rowCount: '5',
    'item.0': '道路维修',
    'amount.0': '1250.50',
    'note.0': '',
    intent: 'submit',
  };
  add(
    ...tweaked('new disclosure', { as: 'collector', path: '/admin/articles/new' }, disclosure, [
      bad('region', 'regionCode', '{siblingVillage}', 403),
      bad('region', 'regionCode', '{township}', 403),
      bad('forged', 'status', 'published', 403),
      bad('forged', 'kind', 'alert', 403),
      bad('forged', 'kind', 'policy', 403),
      bad('sql', 'subject', SQL.union),
      bad('xss', 'subject', XSS.script),
      bad('date', 'periodFrom', '2026-13'),
      bad('date', 'periodTo', '2099-01'),
      bad('date', 'periodTo', '2025-12'),
      bad('xss', 'periodTo', XSS.script),
      bad('type', 'amount.0', '1e3'),
      bad('type', 'amount.0', '0x10'),
      bad('overlong', 'amount.0', '9'.repeat(40)),
      bad('overlong', 'item.0', LONG.k10),
      bad('overlong', 'note.0', LONG.k10),
      bad('blank', 'item.0', ''),
      bad('forged', 'note.0', '身份证 11010519491231002X'),
      bad('forged', 'note.0', '卡号 6222021234567890128'),
      bad('forged', 'item.0', '联系 13912345678'),
      ...textAttacks('title'),
    ]),
    {
      name: 'new disclosure: the table is published as text',
      family: 'xss',
      as: 'station',
      path: '/admin/articles/new',
      form: { ...disclosure, intent: 'save', status: 'published', 'item.0': XSS.attrBreakout, 'note.0': XSS.script },
      accept: { render: { as: 'anonymous', path: '/articles/{id}' }, contains: XSS.attrBreakout },
    },
  );
  const alert = {
    regionCode: '{county}',
    kind: 'alert',
    title: '暴雨橙色预警',
    bodyMd: '今夜有暴雨。',
    status: 'published',
    severity: 'orange',
    expiresAt: '{alertEnds}',
    intent: 'save',
  };
  add(
    ...tweaked('new alert', { as: 'county', path: '/admin/articles/new' }, alert, [
      bad('region', 'regionCode', '{siblingCounty}', 403),
      bad('xss', 'severity', XSS.script),
      bad('sql', 'severity', SQL.drop),
      bad('date', 'expiresAt', '2020-01-01T00:00'),
      bad('date', 'expiresAt', '2099-01-01T00:00'),
      bad('date', 'expiresAt', '2026-02-30T10:00'),
      bad('date', 'expiresAt', '2026-12-01T25:00'),
      bad('sql', 'expiresAt', SQL.union),
      bad('blank', 'expiresAt', ''),
    ]),
    { name: 'new alert: a station for the county', family: 'forged', as: 'station', path: '/admin/articles/new', form: alert, status: 403 },
  );
  const job = {
    regionCode: '{township}',
    kind: 'jobs',
    title: '果园招工',
    bodyMd: '招采摘工。',
    status: 'published',
    employer: '酥梨合作社',
    place: '石桥镇',
    pay: '每天150元',
    deadline: '2026-12-31',
    intent: 'save',
  };
  add(
    ...tweaked('new job', { as: 'station', path: '/admin/articles/new' }, job, [
      bad('blank', 'employer', BLANK.spaces),
      bad('overlong', 'pay', LONG.k10),
      bad('date', 'deadline', '2026-02-30'),
      bad('xss', 'deadline', XSS.script),
    ]),
  );
  add(
    {
      name: 'article review: a collector approves',
      family: 'forged',
      as: 'collector',
      path: '/admin/review',
      form: { id: '{pendingArticle}', decision: 'approveArticle' },
      status: 403,
    },
    {
      name: 'article review: another county’s staff',
      family: 'forged',
      as: 'otherCounty',
      path: '/admin/review',
      form: { id: '{pendingArticle}', decision: 'approveArticle' },
      status: 404,
    },
    {
      name: 'article review: return without a reason',
      family: 'blank',
      as: 'station',
      path: '/admin/review',
      form: { id: '{pendingArticle}', decision: 'rejectArticle', reason: BLANK.spaces },
      status: 400,
    },
    { name: 'article review: id not a number', family: 'type', as: 'station', path: '/admin/review', form: { id: '1e3', decision: 'approveArticle' }, status: 404 },
    { name: 'article review: a published article', family: 'forged', as: 'county', path: '/admin/review', form: { id: '{article}', decision: 'approveArticle' }, status: 409 },
    {
      name: 'collector article: a collector edits the county’s article',
      family: 'forged',
      as: 'collector',
      path: '/admin/articles/{article}',
      form: { ...disclosure, intent: 'save' },
      status: 404,
    },
  );
  const library = { townshipCode: '{township}', title: '小麦病虫害防治手册', category: 'technical', docDate: '{today}' };
  const libraryTarget = { as: 'station' as const, path: '/admin/library' };
  const pdf: FileSpec = { field: 'file', data: 'validPdf', name: '手册.pdf', type: 'application/pdf' };
  add(
    ...tweaked('library upload', { ...libraryTarget, multipart: true, files: [pdf] }, library, [
      bad('region', 'townshipCode', '{siblingTownship}', 403),
      bad('region', 'townshipCode', '{village}'),
      bad('sql', 'townshipCode', SQL.or),
      bad('date', 'docDate', WRONG.feb30),
      bad('date', 'docDate', WRONG.month13),
      ...textAttacks('title'),
      bad('xss', 'category', XSS.imgOnerror),
    ]),
    ...withFiles('library upload', libraryTarget, library, [
      file('file', 'pdfJs', '手册.pdf', 'application/pdf', 'polyglot', 415),
      file('file', 'pdfLaunch', '手册.pdf', 'application/pdf', 'polyglot', 415),
      file('file', 'pdfCommentStream', '手册.pdf', 'application/pdf', 'polyglot', 415),
      file('file', 'pdfObjectStream', '手册.pdf', 'application/pdf', 'polyglot', 415),
      file('file', 'svg', 'picture.png', 'image/png', 'polyglot', 415),
      file('file', 'html', 'page.pdf', 'application/pdf', 'polyglot', 415),
      file('file', 'exe', 'setup.doc', 'application/msword', 'polyglot', 415),
      file('file', 'zip', 'archive.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'polyglot', 415),
      file('file', 'gifHtml', 'anim.gif', 'image/gif', 'polyglot', 415),
      file('file', 'jpegHtml', 'photo.jpg', 'image/jpeg', 'polyglot', 415),
      file('file', 'truncatedJpeg', 'cut.jpg', 'image/jpeg', 'polyglot', 415),
      file('file', 'pngBomb', 'bomb.png', 'image/png', 'bomb', 413),
      file('file', 'jpegBomb', 'bomb.jpg', 'image/jpeg', 'bomb', 413),
      file('file', 'zeroWidthPng', 'zero.png', 'image/png', 'bomb'),
      file('file', 'ole', '旧表格.xls', 'application/vnd.ms-excel', 'polyglot', 415),
      file('file', 'docxMacros', '手册.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'polyglot', 415),
      file('file', 'fakeOoxml', '手册.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'polyglot', 415),
      file('file', 'empty', 'empty.pdf', 'application/pdf', 'blank', 400),
      file('file', 21 * MB, 'big.pdf', 'application/pdf', 'oversize', 413),
    ]),
    {
      name: 'library upload: a PNG that is also an HTML page is re-encoded, its title shown as text',
      family: 'polyglot',
      as: 'station',
      path: '/admin/library',
      multipart: { fields: { ...library, title: XSS.imgOnerror }, files: [{ field: 'file', data: 'pngHtml', name: 'page.png', type: 'image/png' }] },
      accept: { render: { as: 'anonymous', path: '/library/{township}' }, contains: XSS.imgOnerror },
    },
    { name: 'library delete: another township’s file', family: 'forged', as: 'station', path: '/admin/library?delete={otherLibraryFile}', form: {} },
    { name: 'library delete: id is not a number', family: 'type', as: 'station', path: `/admin/library?delete=${encodeURIComponent(SQL.or)}`, form: {} },
    { name: 'library delete: a negative id', family: 'type', as: 'station', path: '/admin/library?delete=-1', form: {} },
    {
      name: 'library delete: a CR/LF in the region to return to',
      family: 'forged',
      as: 'station',
      path: '/admin/library?delete={ownLibraryFile}',
      form: { townshipCode: '{township}\r\nSet-Cookie: hostile=1' },
      status: 400,
    },
    {
      name: 'library delete: another township to return to',
      family: 'region',
      as: 'station',
      path: '/admin/library?delete={ownLibraryFile}',
      form: { townshipCode: '{siblingTownship}' },
      status: 400,
    },
  );

  // ── Reports ────────────────────────────────────────────────────────────────────────────────
  const report = reportFields('{village}');
  const reportTarget = { as: 'collector' as const, path: '/admin/reports/new' };
  add(
    ...tweaked('new report', { ...reportTarget, multipart: true }, report, [
      bad('region', 'regionCode', '{otherCountyVillage}', 403),
      bad('region', 'regionCode', '{siblingVillage}', 403),
      bad('region', 'regionCode', '411402001999'),
      bad('sql', 'regionCode', SQL.or),
      bad('xss', 'category', XSS.script),
      ...textAttacks('title'),
      bad('blank', 'title', BLANK.zeroWidth.repeat(2)),
      bad('overlong', 'bodyMd', LONG.m1),
      bad('blank', 'bodyMd', BLANK.spaces.repeat(5)),
    ]),
    ...withFiles('new report', reportTarget, report, [
      file('attachments', 'pdfJs', '表格.pdf', 'application/pdf', 'polyglot', 415),
      file('attachments', 'pdfCommentStream', '表格.pdf', 'application/pdf', 'polyglot', 415),
      file('attachments', 'pdfObjectStream', '表格.pdf', 'application/pdf', 'polyglot', 415),
      file('attachments', 'html', '表格.pdf', 'application/pdf', 'polyglot', 415),
      file('attachments', 'exe', '表格.doc', 'application/msword', 'polyglot', 415),
      file('attachments', 'ole', '表格.doc', 'application/msword', 'polyglot', 415),
      file('attachments', 'docxMacros', '表格.docx', 'application/msword', 'polyglot', 415),
      file('attachments', 'fakeOoxml', '表格.docx', 'application/msword', 'polyglot', 415),
      file('attachments', 11 * MB, '表格.pdf', 'application/pdf', 'oversize', 413),
      file('photos', 'pngBomb', 'field.png', 'image/png', 'bomb', 413),
      file('photos', 'svg', 'field.jpg', 'image/jpeg', 'polyglot', 415),
      file('photos', 'gifHtml', 'field.gif', 'image/gif', 'polyglot', 415),
    ]),
    {
      name: 'new report: four attachments',
      family: 'oversize',
      as: 'collector',
      path: '/admin/reports/new',
      multipart: { fields: report, files: Array.from({ length: 4 }, (_, i) => ({ field: 'attachments', data: 'validPdf' as const, name: `a${i}.pdf`, type: 'application/pdf' })) },
      status: 400,
    },
    {
      name: 'report: station adopts another township’s report',
      family: 'forged',
      as: 'station',
      path: '/admin/reports/{otherReport}',
      form: { intent: 'adopt', comment: '' },
      status: 404,
    },
    { name: 'report: another county reads and forwards', family: 'forged', as: 'otherCounty', path: '/admin/reports/{report}', form: { intent: 'forward' }, status: 404 },
    { name: 'report: adopt with an overlong comment', family: 'overlong', as: 'station', path: '/admin/reports/{report}', form: { intent: 'adopt', comment: LONG.k10 } },
    { name: 'report: return without a reason', family: 'blank', as: 'station', path: '/admin/reports/{report}', form: { intent: 'return', reason: BLANK.zeroWidth } },
    { name: 'report: an unknown intent', family: 'sql', as: 'station', path: '/admin/reports/{report}', form: { intent: SQL.drop } },
    { name: 'report: publish before adopting', family: 'forged', as: 'station', path: '/admin/reports/{report}', form: { intent: 'publish' } },
    { name: 'report: acknowledge a report that is not urgent', family: 'forged', as: 'station', path: '/admin/reports/{report}', form: { intent: 'acknowledge' } },
    { name: 'report: a made-up file of a report', family: 'path', as: 'station', method: 'GET', path: `/admin/reports/{report}/files/${'a'.repeat(64)}`, status: 404 },
    {
      name: 'report: a file path that climbs out',
      family: 'path',
      as: 'station',
      method: 'GET',
      path: `/admin/reports/{report}/files/${encodeURIComponent('../../../etc/passwd')}`,
      status: 404,
    },
  );
  for (const id of BAD_IDS.slice(0, 4)) add({ name: `report: id ${id}`, family: 'path', as: 'station', path: `/admin/reports/${id}`, form: { intent: 'forward' }, status: 404 });

  // ── Reader preferences ─────────────────────────────────────────────────────────────────────
  add(
    ...tweaked('text size', { as: 'anonymous', path: '/preferences/text-size' }, { size: 'large' }, [
      bad('type', 'size', 'huge', 400),
      bad('xss', 'size', XSS.script, 400),
      bad('blank', 'size', BLANK.empty, 400),
      bad('overlong', 'size', LONG.m1, 413),
    ]),
    ...tweaked('my village', { as: 'anonymous', path: '/preferences/my-village' }, { village: '{village}' }, [
      bad('region', 'village', '411402001999', 400),
      bad('region', 'village', '{township}', 400),
      bad('sql', 'village', SQL.or, 400),
      bad('xss', 'village', XSS.attrBreakout, 400),
    ]),
    { name: 'text size: from another site', family: 'csrf', as: 'anonymous', path: '/preferences/text-size', form: { size: 'large' }, origin: 'foreign', status: 403 },
    {
      name: 'text size: a javascript: return address goes home',
      family: 'xss',
      as: 'anonymous',
      path: '/preferences/text-size',
      form: { size: 'large', return: XSS.jsUrl },
      redirect: '/',
    },
    {
      name: 'my village: another site as return address goes home',
      family: 'forged',
      as: 'anonymous',
      path: '/preferences/my-village',
      form: { village: '{village}', return: '//evil.example/' },
      redirect: '/',
    },
  );

  // ── Redirect targets that resolve to another host (dot segments, percent-encoded dots) ───────
  const offSite = ['/.//evil.example/x', '/..//evil.example/x', '/admin/../..//evil.example/x', '/%2e%2e//evil.example/x', '/.%2E//evil.example/x', '/./%2e//evil.example'];
  for (const target of offSite) {
    add(
      { name: `text size: return ${target} goes home`, family: 'forged', as: 'anonymous', path: '/preferences/text-size', form: { size: 'large', return: target }, redirect: '/' },
      {
        name: `my village: return ${target} goes home`,
        family: 'forged',
        as: 'anonymous',
        path: '/preferences/my-village',
        form: { village: '{village}', return: target },
        redirect: '/',
      },
      {
        name: `sign-in page: next ${target} goes to the admin home`,
        family: 'forged',
        as: 'collector',
        method: 'GET',
        path: `/login?next=${encodeURIComponent(target)}`,
        redirect: '/admin',
      },
    );
  }

  // ── Search ─────────────────────────────────────────────────────────────────────────────────
  const search = (q: string) => `/search?q=${encodeURIComponent(q)}`;
  add(
    { name: 'search: overlong query', family: 'overlong', as: 'anonymous', method: 'GET', path: search(LONG.k10.slice(0, 4000)), status: 400 },
    { name: 'search: one character over the search box limit', family: 'overlong', as: 'anonymous', method: 'GET', path: search('梨'.repeat(65)), status: 400 },
    { name: 'search: only punctuation', family: 'blank', as: 'anonymous', method: 'GET', path: search(`'"()*:^-`), status: 400 },
    { name: 'search: a script is echoed as text', family: 'xss', as: 'anonymous', method: 'GET', path: search(XSS.script), accept: { status: 200, contains: XSS.script } },
    {
      name: 'search: an attribute breakout is echoed as text',
      family: 'xss',
      as: 'anonymous',
      method: 'GET',
      path: search(XSS.attrBreakout),
      accept: { status: 200, contains: XSS.attrBreakout },
    },
    { name: 'search: SQL is searched for, not run', family: 'sql', as: 'anonymous', method: 'GET', path: search(SQL.union), accept: { status: 200 } },
    { name: 'search: FTS syntax is searched for, not run', family: 'sql', as: 'anonymous', method: 'GET', path: search('小麦 NEAR(" OR *'), accept: { status: 200 } },
    {
      name: 'search: filters with markup are dropped',
      family: 'xss',
      as: 'anonymous',
      method: 'GET',
      path: `/search?q=%E5%B0%8F%E9%BA%A6&type=${encodeURIComponent(XSS.script)}&county=${encodeURIComponent(XSS.attrBreakout)}&page=-1`,
      accept: { status: 200 },
    },
  );

  // ── Open data API ──────────────────────────────────────────────────────────────────────────
  const api: [string, number, Family?][] = [
    [`/api/v1/listings?region=${encodeURIComponent(XSS.script)}`, 400],
    ['/api/v1/listings?limit=1e309', 400],
    ['/api/v1/listings?limit=-1', 400],
    ['/api/v1/listings?limit=NaN', 400],
    ['/api/v1/listings?cursor=..%2F..%2Fetc', 400],
    ['/api/v1/listings?cursor=%00', 400],
    [`/api/v1/listings?category=${encodeURIComponent(SQL.or)}`, 400],
    ['/api/v1/listings?unknown=1', 400],
    [`/api/v1/listings?region=${encodeURIComponent(XSS.attrBreakout)}&region={county}`, 400, 'duplicate'],
    ['/api/v1/listings/1e9', 400, 'path'],
    ['/api/v1/listings/-1', 400, 'path'],
    ['/api/v1/listings/999999999', 404, 'path'],
    ['/api/v1/listings/{ownListing}', 404, 'forged'],
    [`/api/v1/regions/${encodeURIComponent(SQL.or)}`, 400, 'sql'],
    ['/api/v1/regions/411402001999', 404, 'region'],
    [`/api/v1/prices?from=${WRONG.feb30}`, 400, 'date'],
    ['/api/v1/prices?from=2026-1-5', 400, 'date'],
    [`/api/v1/prices?commodity=${encodeURIComponent(XSS.imgOnerror)}`, 400, 'xss'],
    ['/api/v1/trainings?county=9', 400, 'region'],
    ['/api/v1/trainings/0x10', 400, 'path'],
    [`/api/v1/articles?kind=${encodeURIComponent(XSS.script)}`, 400, 'xss'],
    ['/api/v1/articles/{draftArticle}', 404, 'forged'],
    [`/api/v1/articles.csv?limit=${'9'.repeat(400)}`, 400, 'overlong'],
    ['/api/v1/nothing-here', 404, 'path'],
    [`/api/v1/markets?${encodeURIComponent(XSS.script)}=1`, 400],
    ['/api/v1/commodities.csv?limit=5', 400],
    ['/api/v1/openapi.json?lang=xx', 400],
    [`/api/v1/wanted?category=${encodeURIComponent(SQL.or)}`, 400],
    ['/api/v1/wanted?region=9', 400, 'region'],
    ['/api/v1/wanted/0x10', 400, 'path'],
    ['/api/v1/wanted/999999999', 404, 'path'],
    [`/api/v1/directory?kind=${encodeURIComponent(SQL.or)}`, 400],
    ['/api/v1/directory?region=9', 400, 'region'],
    [`/api/v1/directory?tag=${'辣'.repeat(65)}`, 400],
    ['/api/v1/directory/0x10', 400, 'path'],
    ['/api/v1/directory/999999999', 404, 'path'],
  ];
  for (const [path, status, family = 'query'] of api) add({ name: `api: ${path.slice(0, 80)}`, family, as: 'anonymous', method: 'GET', path, status });
  add(
    {
      name: 'api: POST with a JSON body',
      family: 'contentType',
      as: 'anonymous',
      path: '/api/v1/listings',
      raw: { contentType: 'application/json', text: '{"title":"x"}' },
      status: 405,
    },
    { name: 'api: POST a form from another site', family: 'csrf', as: 'anonymous', path: '/api/v1/listings', form: { title: 'x' }, origin: 'foreign', status: 405 },
  );

  // ── Public lists: filters they do not know are dropped, and what is echoed is text ──────────
  for (const path of [
    `/products?category=${encodeURIComponent(XSS.script)}&page=-1&village=${encodeURIComponent(SQL.or)}`,
    `/trainings?month=${WRONG.month13.slice(0, 7)}&county=${encodeURIComponent(XSS.attrBreakout)}`,
    `/articles?kind=${encodeURIComponent(XSS.imgOnerror)}&page=${WRONG.huge}&region=${encodeURIComponent(SQL.drop)}`,
    `/prices?market=${WRONG.hex}&category=${encodeURIComponent(XSS.script)}`,
    `/prices/wheat?market=${WRONG.negative}&days=${WRONG.huge}&variety=${encodeURIComponent(XSS.attrBreakout)}`,
  ]) {
    add({ name: `public list: ${path.slice(0, 60)}`, family: 'query', as: 'anonymous', method: 'GET', path, accept: { status: 200 } });
  }

  // ── Public pages with bad path parameters ──────────────────────────────────────────────────
  for (const prefix of ['/products/', '/trainings/', '/articles/', '/library/files/']) {
    for (const id of BAD_IDS) add({ name: `public: ${prefix}${id}`, family: 'path', as: 'anonymous', method: 'GET', path: `${prefix}${id}`, status: 404 });
  }
  const weird = [encodeURIComponent(XSS.script), encodeURIComponent(SQL.or), '%00', '9'.repeat(300)];
  for (const prefix of ['/village/', '/township/', '/county/', '/library/', '/prices/', '/rss/', '/media/']) {
    for (const segment of weird)
      add({ name: `public: ${prefix}${segment.slice(0, 30)}`, family: 'path', as: 'anonymous', method: 'GET', path: `${prefix}${segment}`, status: 404 });
  }
  // Child sitemaps: numbers from 1 up to the last chunk, and only the kinds the index knows.
  for (const name of [
    'listing-0',
    'listing-01',
    'pages-2',
    'region-99999',
    'users-1',
    `listing-${'9'.repeat(300)}`,
    `${encodeURIComponent(SQL.or)}-1`,
    encodeURIComponent(XSS.script),
  ]) {
    add({ name: `public: sitemap chunk ${name.slice(0, 30)}`, family: 'path', as: 'anonymous', method: 'GET', path: `/sitemaps/${name}.xml`, status: 404 });
  }
  // ── SMS subscriptions (no account) and the county push ─────────────────────────────────────
  const subscription = { phone: '13800138000', villageCode: '{village}', topic: 'notice' };
  const phoneAttacks = [
    bad('xss', 'phone', XSS.script),
    bad('sql', 'phone', SQL.or),
    bad('overlong', 'phone', LONG.k10),
    bad('blank', 'phone', BLANK.empty),
    bad('type', 'phone', '0370-3456789'),
    bad('type', 'phone', '12800138000'),
  ];
  add(
    ...tweaked('subscribe', { as: 'anonymous', path: '/subscribe' }, subscription, [
      ...phoneAttacks,
      ...regionAttacks('villageCode', { foreign: '411402001999', missing: '999999999999', wrongLevel: '{township}' }),
      bad('forged', 'topic', 'lottery'),
      bad('sql', 'topic', SQL.or),
      bad('overlong', 'topic', LONG.k10),
    ]),
    {
      name: 'subscribe: an unknown commodity',
      family: 'forged',
      as: 'anonymous',
      path: '/subscribe',
      form: [
        ['phone', '13800138000'],
        ['villageCode', '{village}'],
        ['commodity', '999999'],
      ],
    },
    {
      name: 'subscribe: a thousand commodities',
      family: 'overlong',
      as: 'anonymous',
      path: '/subscribe',
      form: [['phone', '13800138000'], ['villageCode', '{village}'], ...Array.from({ length: 1000 }, (_, i): [string, string] => ['commodity', String(i + 1)])],
    },
    { name: 'subscribe: invalid UTF-8 in the phone', family: 'utf8', as: 'anonymous', path: '/subscribe', form: subscription, invalidUtf8: 'phone' },
    { name: 'subscribe: from another site', family: 'csrf', as: 'anonymous', path: '/subscribe', form: subscription, origin: 'foreign', status: 403 },
    ...tweaked('subscribe confirm', { as: 'anonymous', path: '/subscribe/confirm' }, { ...subscription, code: '123456' }, [
      bad('forged', 'code', '123456'),
      bad('type', 'code', 'abcdef'),
      bad('overlong', 'code', LONG.k10),
      bad('sql', 'code', SQL.or),
      ...phoneAttacks,
    ]),
    ...tweaked('subscribe manage', { as: 'anonymous', path: '/subscribe/manage' }, { phone: '13800138000' }, phoneAttacks),
    ...tweaked('subscribe manage edit', { as: 'anonymous', path: '/subscribe/manage/edit' }, { intent: 'end', phone: '13800138000', code: '123456' }, [
      bad('forged', 'code', '654321'),
      bad('xss', 'code', XSS.script),
      bad('forged', 'intent', 'save'),
      ...phoneAttacks,
    ]),
    { name: 'unsubscribe: a made-up token', family: 'forged', as: 'anonymous', path: '/u/AAAAAAAAAA', form: {}, status: 404 },
    { name: 'unsubscribe: a token of SQL', family: 'sql', as: 'anonymous', path: `/u/${encodeURIComponent(SQL.or)}`, form: {}, status: 404 },
  );
  const push = { intent: 'send', regionCode: '{county}', kind: 'notice', text: '明天停电', batch: 'a'.repeat(32) };
  add(
    ...tweaked('push', { as: 'county', path: '/admin/messages/push' }, push, [
      bad('overlong', 'text', '通'.repeat(80)),
      bad('overlong', 'text', LONG.k10),
      bad('blank', 'text', BLANK.zeroWidth),
      bad('forged', 'kind', 'code'),
      bad('forged', 'batch', 'not-a-batch'),
      bad('region', 'regionCode', '{siblingCounty}', 403),
      bad('region', 'regionCode', '{village}'),
      bad('sql', 'regionCode', SQL.or),
    ]),
    { name: 'push: a station manager', family: 'auth', as: 'station', path: '/admin/messages/push', form: push, status: 403 },
    { name: 'push: from another site', family: 'csrf', as: 'county', path: '/admin/messages/push', form: push, origin: 'foreign', status: 403 },
  );
  add(
    { name: 'public: a draft listing', family: 'forged', as: 'anonymous', method: 'GET', path: '/products/{ownListing}', status: 404 },
    { name: 'public: a draft article', family: 'forged', as: 'anonymous', method: 'GET', path: '/articles/{draftArticle}', status: 404 },
    { name: 'public: calendar of a made-up training', family: 'path', as: 'anonymous', method: 'GET', path: '/trainings/1e9.ics', status: 404 },
    { name: 'public: county calendar of a village code', family: 'region', as: 'anonymous', method: 'GET', path: '/trainings/county/{village}.ics', status: 404 },
    { name: 'public: board of a made-up village', family: 'region', as: 'anonymous', method: 'GET', path: '/village/411402001999/board', status: 404 },
    { name: 'public: feed of a made-up kind', family: 'path', as: 'anonymous', method: 'GET', path: `/rss/{county}/${encodeURIComponent(XSS.script)}.xml`, status: 404 },
    { name: 'public: the photo of a listing awaiting review', family: 'forged', as: 'anonymous', method: 'GET', path: '/media/{pendingPhoto}/320.webp', status: 404 },
    {
      name: 'public: another county’s staff ask for a photo awaiting review',
      family: 'forged',
      as: 'otherCounty',
      method: 'GET',
      path: '/media/{pendingPhoto}/800.webp',
      status: 404,
    },
    { name: 'public: a media variant that climbs out', family: 'path', as: 'anonymous', method: 'GET', path: `/media/${'a'.repeat(64)}/..%2F..%2Fetc%2Fpasswd`, status: 404 },
    { name: 'public: a price chart of SQL', family: 'sql', as: 'anonymous', method: 'GET', path: `/prices/${encodeURIComponent(SQL.drop)}`, status: 404 },
    { name: 'public: Astro’s image endpoint converting a file', family: 'path', as: 'anonymous', method: 'GET', path: '/_image?href=/favicon.svg&f=png', status: 404 },
    {
      name: 'public: Astro’s image endpoint fetching another site',
      family: 'path',
      as: 'anonymous',
      method: 'GET',
      path: '/_image?href=https://evil.example/x.png&w=10&f=webp',
      status: 404,
    },
  );
  // ── Messages (staff) ────────────────────────────────────────────────────────────────────────
  add(
    ...tweaked('own contact settings', { as: 'county', path: '/admin/messages/me' }, { intent: 'save', phone: '13900001234', email: 'staff@example.com' }, [
      bad('type', 'phone', '0370-2345678'),
      bad('type', 'phone', WRONG.text),
      bad('type', 'phone', '+1 415 555 0100'),
      bad('sql', 'phone', SQL.or),
      bad('overlong', 'phone', LONG.k10),
      bad('xss', 'email', XSS.script),
      bad('sql', 'email', SQL.quote),
      bad('type', 'email', 'a@b@example.com'),
      bad('overlong', 'email', `${LONG.k10}@example.com`),
    ]),
    { name: 'test message: a channel that does not exist', family: 'type', as: 'county', path: '/admin/messages', form: { intent: 'test', channel: 'fax' }, status: 400 },
    { name: 'test message: a channel without a destination', family: 'forged', as: 'county', path: '/admin/messages', form: { intent: 'test', channel: 'dingtalk' }, status: 409 },
    { name: 'test message: a collector', family: 'auth', as: 'collector', path: '/admin/messages', form: { intent: 'test', channel: 'sms' }, status: 403 },
    { name: 'outbox: a message id of SQL', family: 'path', as: 'county', method: 'GET', path: `/admin/messages/${encodeURIComponent(SQL.or)}`, status: 404 },
  );
  return cases;
}
