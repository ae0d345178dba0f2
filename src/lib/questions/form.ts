import type { Db } from '../db/index.ts';
import { prepareUploads } from '../media/upload.ts';
import { childRegions, cityRegion, type Region } from '../regions/index.ts';
import { formFields } from '../validation/formFields.ts';
import type { AskInput } from './index.ts';
import { MAX_QUESTION_PHOTOS } from './limits.ts';

/** Reads the question form (multipart): text fields and up to three photos, checked before storing. */
export async function askFormInput(form: FormData): Promise<AskInput> {
  return { fields: formFields(form), uploads: await prepareUploads(form, 'photos', MAX_QUESTION_PHOTOS) };
}

export interface VillageChoice {
  /** Every county with its townships: step one's select. */
  counties: { county: Region; townships: Region[] }[];
  township: Region | undefined;
  villages: Region[];
}

/**
 * The ask form's two-step village choice without JavaScript, as on the training sign-up: first the
 * township (grouped by county), then the villages of the chosen one. `scope` narrows it (a
 * collector's own village, a station manager's township).
 */
export function askVillageChoice(db: Db, townshipCode: string, scope?: string): VillageChoice {
  const city = cityRegion(db);
  const counties = (city ? childRegions(db, city.code) : [])
    .filter((c) => !scope || scope.startsWith(c.code) || c.code.startsWith(scope))
    .map((county) => ({ county, townships: childRegions(db, county.code).filter((t) => !scope || scope.startsWith(t.code) || t.code.startsWith(scope)) }));
  const township = counties.flatMap((c) => c.townships).find((t) => t.code === townshipCode);
  const villages = township ? childRegions(db, township.code).filter((v) => !scope || v.code.startsWith(scope)) : [];
  return { counties, township, villages };
}
