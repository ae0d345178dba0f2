import type { Role } from '../auth/roles.ts';
import { CODE_LENGTH, REGION_LEVELS } from '../regions/types.ts';

/**
 * 通知公告, 农业技术, 市场信息, 政策法规, 教育·卫生·社保, 村务公开, 灾害预警/气象, 务工就业, 文化旅游.
 * The last four carry fields of their own (`ArticleDetails`).
 */
export const ARTICLE_KINDS = ['notice', 'technical', 'market', 'policy', 'livelihood', 'village_affairs', 'alert', 'jobs', 'tourism'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];

/** The categories of township library files (a CHECK constraint in 0007): the original kinds. */
export const LIBRARY_CATEGORIES = ['notice', 'technical', 'market', 'policy', 'livelihood'] as const;
export type LibraryCategory = (typeof LIBRARY_CATEGORIES)[number];

/** What a collector may draft for their village; everything else is written by the station and above. */
export const COLLECTOR_KINDS = ['notice', 'village_affairs', 'jobs', 'tourism'] as const;

/** `pending` and `rejected` are a collector's article in, or back from, the township's review. */
export const ARTICLE_STATUSES = ['draft', 'pending', 'published', 'rejected', 'unpublished'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** The statuses staff choose in the editor; review states are reached only through submit, approve and reject. */
export const EDITOR_STATUSES = ['draft', 'published', 'unpublished'] as const;

/** 村务公开 subjects named by 村民委员会组织法: 财务收支, 惠农补贴发放, 低保与救助, 宅基地审批, 集体资产与工程, 重大事项. */
export const DISCLOSURE_SUBJECTS = ['finance', 'subsidy', 'relief', 'homestead', 'assets', 'major'] as const;
export type DisclosureSubject = (typeof DISCLOSURE_SUBJECTS)[number];

/** China's four warning colours, lowest first: 蓝色, 黄色, 橙色, 红色. */
export const ALERT_SEVERITIES = ['blue', 'yellow', 'orange', 'red'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** One line of a disclosure's table; an amount is optional (a homestead approval has none). */
export interface DisclosureRow {
  item: string;
  amountFen: number | null;
  note: string;
}

/** The fields of the kinds that have their own; each kind sets only its own. */
export interface ArticleDetails {
  subject?: DisclosureSubject;
  /** The months covered, `YYYY-MM`. */
  periodFrom?: string;
  periodTo?: string;
  rows?: DisclosureRow[];
  severity?: AlertSeverity;
  employer?: string;
  place?: string;
  pay?: string;
  /** `YYYY-MM-DD`. */
  deadline?: string;
}

export function isArticleKind(value: unknown): value is ArticleKind {
  return typeof value === 'string' && (ARTICLE_KINDS as readonly string[]).includes(value);
}

export interface Article {
  id: number;
  regionCode: string;
  kind: ArticleKind;
  title: string;
  summary: string;
  bodyMd: string;
  status: ArticleStatus;
  pinned: boolean;
  authorId: string | null;
  /** The author's level when it was written: only that level or above may change it. */
  authorRole: Role;
  publishedAt: number | null;
  createdAt: number;
  updatedAt: number;
  details: ArticleDetails;
  /** An alert's end (ms): its banner shows only before. */
  expiresAt: number | null;
  /** Why the township returned a collector's article. */
  rejectReason: string;
}

/** The public address of a published article. */
export function articleHref(id: number): string {
  return `/articles/${id}`;
}

/**
 * The codes of a region and every region above it (a code starts with its parent's code).
 * An article published at any of them applies to the region.
 */
export function ancestorCodes(code: string): string[] {
  return REGION_LEVELS.map((level) => CODE_LENGTH[level])
    .filter((length) => length <= code.length)
    .map((length) => code.slice(0, length));
}
