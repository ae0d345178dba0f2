import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLibraryFile, prepareLibraryUpload } from '../../../src/lib/articles/library.ts';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { approveListing, archiveListing, saveListing, ttlMs, type SaveListingInput } from '../../../src/lib/listings/index.ts';
import { imageAudience } from '../../../src/lib/media/access.ts';
import { prepareImage } from '../../../src/lib/media/images.ts';
import { fileReport } from '../../../src/lib/reports/index.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { plainPng } from '../../helpers/images.ts';
import { listingFields } from '../../helpers/listings.ts';
import { reportFields } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('who may see a stored image', () => {
  const tmp = tempDir();
  let db: Db;
  // Filled in beforeAll, once the users exist.
  const who = {} as Record<'collector' | 'otherCollector' | 'station' | 'otherStation' | 'county', Actor>;
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  let colour = 0;
  /** A distinct photo each time: the same bytes would be the same stored image. */
  const photo = async () => prepareImage(await plainPng(40, 30, `#${(0x102030 + colour++ * 0x010101).toString(16)}`));
  const listing = (extra: Partial<SaveListingInput>): SaveListingInput => ({
    villageCode: R.village,
    fields: listingFields({ title: '黄金梨' }),
    keep: [],
    uploads: [],
    intent: 'submit',
    ...extra,
  });
  /** What each person (and an anonymous reader) would be given for `sha`. */
  const audiences = (sha: string, now?: number) => ({
    anonymous: imageAudience(db, null, sha, now),
    ...Object.fromEntries(Object.entries(who).map(([name, actor]) => [name, imageAudience(db, actor, sha, now)])),
  });

  beforeAll(async () => {
    process.env.MEDIA_DIR = tmp.file('media');
    db = await seededDb(tmp.file('access.sqlite'));
    who.collector = await makeUser(db, 'col-a', 'collector', R.village);
    who.otherCollector = await makeUser(db, 'col-b', 'collector', R.siblingVillage);
    who.station = await makeUser(db, 'station-a', 'station_manager', R.township);
    who.otherStation = await makeUser(db, 'station-b', 'station_manager', R.siblingTownship);
    who.county = await makeUser(db, 'county-a', 'county_staff', R.county);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('keeps a pending listing’s photo to its village’s collectors and the reviewers above, then makes it public on approval', async () => {
    const l = saveListing(db, ctx(who.collector), null, listing({ uploads: [await photo()] }));
    const sha = l.photos[0]!.sha256;
    expect(audiences(sha)).toEqual({ anonymous: 'none', collector: 'staff', otherCollector: 'none', station: 'staff', otherStation: 'none', county: 'staff' });
    approveListing(db, ctx(who.station), l.id);
    expect(new Set(Object.values(audiences(sha)))).toEqual(new Set(['public']));
    // Past its expiry the public copy no longer makes it public; archiving ends it too.
    expect(audiences(sha, Date.now() + ttlMs() + 1000).anonymous).toBe('none');
    archiveListing(db, ctx(who.collector), l.id);
    expect(audiences(sha)).toMatchObject({ anonymous: 'none', collector: 'staff', otherStation: 'none' });
  });

  it('keeps the approved copy’s photos public while an edit with a new photo awaits review, and drops a photo the next approval removes', async () => {
    const first = await photo();
    const l = saveListing(db, ctx(who.collector), null, listing({ uploads: [first] }));
    approveListing(db, ctx(who.station), l.id);
    const second = await photo();
    saveListing(db, ctx(who.collector), l.id, listing({ keep: [], uploads: [second] }));
    expect(imageAudience(db, null, first.sha256)).toBe('public');
    expect(imageAudience(db, null, second.sha256)).toBe('none');
    expect(imageAudience(db, who.station, second.sha256)).toBe('staff');
    approveListing(db, ctx(who.station), l.id);
    expect(imageAudience(db, null, second.sha256)).toBe('public');
    expect(imageAudience(db, null, first.sha256)).toBe('none');
  });

  it('keeps a photo shared by an approved and an unapproved listing public', async () => {
    const shared = await photo();
    const approved = saveListing(db, ctx(who.collector), null, listing({ uploads: [shared] }));
    approveListing(db, ctx(who.station), approved.id);
    saveListing(db, ctx(who.otherCollector), null, listing({ villageCode: R.siblingVillage, uploads: [shared] }));
    expect(imageAudience(db, null, shared.sha256)).toBe('public');
  });

  it('shows a report’s photos only to the report’s readers, and library images to everyone', async () => {
    const field = await photo();
    fileReport(db, ctx(who.collector), { fields: reportFields(R.village), uploads: [field], attachments: [] });
    expect(audiences(field.sha256)).toEqual({ anonymous: 'none', collector: 'staff', otherCollector: 'none', station: 'staff', otherStation: 'none', county: 'none' });
    const upload = await prepareLibraryUpload({ name: '明白纸.png', bytes: await plainPng(50, 70, '#abcdef') });
    const file = addLibraryFile(db, ctx(who.station), { townshipCode: R.township, title: '明白纸', category: 'technical', docDate: '2026-06-01' }, upload);
    expect(imageAudience(db, null, file.sha256)).toBe('public');
    expect(imageAudience(db, null, 'f'.repeat(64))).toBe('none');
  });
});
