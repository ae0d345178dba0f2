/** The kinds of directory entry: 农民专业合作社, 家庭农场, 龙头企业, 种养大户, 农技专家/专家协会. */
export const ENTITY_KINDS = ['cooperative', 'family_farm', 'enterprise', 'large_grower', 'expert'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** proposed: waiting for county staff; approved: public; rejected: kept for the record, never public. */
export const ENTITY_STATUSES = ['proposed', 'approved', 'rejected'] as const;
export type EntityStatus = (typeof ENTITY_STATUSES)[number];

/** At most this many product or specialty tags, each at most TAG_MAX characters. */
export const MAX_TAGS = 8;
export const TAG_MAX = 12;

/** What the public sees of an entry: never its contact unless marked public, never who entered it. */
export interface PublicEntity {
  id: number;
  kind: EntityKind;
  name: string;
  regionCode: string;
  regionName: string;
  tags: string[];
  certifications: string;
  creditCode: string | null;
  description: string;
  /** The expert account an expert entry names, if any. */
  expertUserId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The whole entry as staff see it. */
export interface Entity extends PublicEntity {
  contactName: string;
  contactPhone: string;
  contactPublic: boolean;
  status: EntityStatus;
  createdBy: string | null;
}
