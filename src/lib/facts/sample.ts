/**
 * Sample facts for a few villages of 梁园区 and 睢县, written for this project and labelled as
 * samples (source 'sample', entered by the console): the figures are made up. The 辣椒 villages
 * are the ones the sample listings put their 三樱椒 in, so /villages?industry=辣椒 leads to products.
 */
import { CONSOLE } from '../auth/users.ts';
import type { Db } from '../db/index.ts';
import { one } from '../db/statements.ts';
import type { SeedStep } from '../seed/step.ts';
import { recordAudit } from '../audit/index.ts';
import { insertFacts, parseFacts } from './index.ts';
import { readReferenceTags, referenceTagsPath, seedReferenceTags } from './tags.ts';

interface Sample {
  county: string;
  /** Which village of the county, in code order (the sample listings use 7, 20, 33, 46). */
  offset: number;
  fields: Record<string, string>;
}

const SIX = { hasPremises: '是', hasStaff: '是', hasEquipment: '是', hasBroadband: '是', hasWebPage: '是', hasSustainableOperation: '是' };

const SAMPLES: Sample[] = [
  {
    county: '411402',
    offset: 7,
    fields: {
      households: '486',
      registeredPopulation: '1932',
      residentPopulation: '1410',
      arableMu: '3120',
      broadbandPercent: '92',
      ecommercePoint: '是',
      industries: '酥梨、小麦',
      ...SIX,
    },
  },
  {
    county: '411402',
    offset: 20,
    fields: {
      households: '612',
      registeredPopulation: '2405',
      residentPopulation: '1780',
      arableMu: '4050.5',
      broadbandPercent: '88',
      ecommercePoint: '是',
      industries: '辣椒、小麦',
      ...SIX,
    },
  },
  {
    county: '411402',
    offset: 33,
    fields: {
      households: '355',
      registeredPopulation: '1380',
      residentPopulation: '990',
      arableMu: '2210',
      broadbandPercent: '75',
      ecommercePoint: '否',
      industries: '蔬菜大棚',
      hasPremises: '是',
      hasStaff: '是',
      hasEquipment: '否',
    },
  },
  {
    county: '411422',
    offset: 7,
    fields: {
      households: '530',
      registeredPopulation: '2100',
      residentPopulation: '1650',
      arableMu: '3600',
      broadbandPercent: '90',
      ecommercePoint: '是',
      industries: '辣椒、大蒜',
      ...SIX,
    },
  },
  {
    county: '411422',
    offset: 20,
    fields: {
      households: '428',
      registeredPopulation: '1702',
      residentPopulation: '1215',
      arableMu: '2875',
      broadbandPercent: '80',
      ecommercePoint: '否',
      industries: '山药、花生',
    },
  },
];

const PICK_VILLAGE = `SELECT code FROM regions WHERE level = 'village' AND code >= ? AND code < ? ORDER BY code LIMIT 1 OFFSET ?`;
const SAMPLE_AS_OF = '2026-06-30';

/** Seed step: the controlled list of industries, then the labelled sample facts. */
export const sampleFactsStep: SeedStep = {
  name: 'sample-facts',
  run(db: Db, root: string) {
    seedReferenceTags(db, readReferenceTags(referenceTagsPath(root)));
    const ctx = { actor: CONSOLE, clientAddress: 'seed' };
    for (const sample of SAMPLES) {
      const village = one<{ code: string }>(db, PICK_VILLAGE, sample.county, `${sample.county}:`, sample.offset);
      if (!village) continue;
      const { values } = parseFacts({ asOf: SAMPLE_AS_OF, ...sample.fields }, 'village', Date.parse(`${SAMPLE_AS_OF}T12:00:00Z`));
      const id = insertFacts(db, ctx, village.code, values!, 'sample');
      recordAudit(db, ctx, { action: 'region.facts', entity: 'region_facts', entityId: String(id), regionCode: village.code, summary: 'sample' });
    }
  },
};
