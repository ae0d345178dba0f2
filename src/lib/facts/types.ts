/** The 六有 checklist of a village information point. */
export const SIX_HAVES = ['hasPremises', 'hasStaff', 'hasEquipment', 'hasBroadband', 'hasWebPage', 'hasSustainableOperation'] as const;
export type SixHave = (typeof SIX_HAVES)[number];

/** Counts that add up the tree. */
export const SUMMED = ['households', 'registeredPopulation', 'residentPopulation', 'arableMu'] as const;
export type Summed = (typeof SUMMED)[number];

/** Every field of an entry, in the order imports, templates and the open-data CSV give them. */
export const FACT_FIELDS = ['asOf', ...SUMMED, 'broadbandPercent', 'ecommercePoint', 'industries', ...SIX_HAVES] as const;

export const FACT_SOURCES = ['manual', 'import', 'sample'] as const;
export type FactSource = (typeof FACT_SOURCES)[number];

/** What one entry says; null where it says nothing. */
export interface FactValues extends Record<Summed, number | null>, Record<SixHave, boolean | null> {
  asOf: string;
  broadbandPercent: number | null;
  ecommercePoint: boolean | null;
  industries: string[];
}

/** One entry of a region's history; the current facts are the latest (by as-of date, then entry). */
export interface FactEntry extends FactValues {
  id: number;
  regionCode: string;
  /** Tags still waiting for the county's review (or refused): never shown to the public. */
  pendingIndustries: string[];
  source: FactSource;
  enteredByName: string;
  enteredAt: number;
}

/** The villages' current facts under a township or county, added up. */
export interface FactSums extends Record<Summed, number> {
  /** Villages with current facts, and all villages below. */
  reported: number;
  villages: number;
  /** Of the reporting villages: with an e-commerce service point, with all six 六有, and their mean broadband coverage. */
  ecommercePoints: number;
  sixHavesComplete: number;
  broadbandMean: number | null;
  /** Reporting villages whose figures came from the sample data. */
  samples: number;
}

export const TAG_STATUSES = ['approved', 'pending', 'rejected'] as const;
export type TagStatus = (typeof TAG_STATUSES)[number];

export interface FactTag {
  name: string;
  status: TagStatus;
  countyCode: string | null;
  createdAt: number;
}
