import type { Role } from '../auth/roles.ts';
import { CODE_LENGTH, REGION_LEVELS } from '../regions/types.ts';

/** 通知公告, 农业技术, 市场信息, 政策法规, 教育·卫生·社保. */
export const ARTICLE_KINDS = ['notice', 'technical', 'market', 'policy', 'livelihood'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];

export const ARTICLE_STATUSES = ['draft', 'published', 'unpublished'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

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
