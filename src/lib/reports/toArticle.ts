import type { ArticleKind } from '../articles/types.ts';
import { createArticle } from '../articles/write.ts';
import type { ReportCategory } from './types.ts';
import type { CreateArticle } from './publish.ts';

/** Which kind of article each report category becomes when it is published. */
const KIND_FOR: Record<ReportCategory, ArticleKind> = {
  work: 'notice',
  opinion: 'livelihood',
  disaster: 'notice',
  market: 'market',
  practice: 'technical',
};

/** Publishes the report's text as an article of the report's region, through the articles module. */
export const articleFromReport: CreateArticle = (db, ctx, draft) =>
  createArticle(db, ctx, { regionCode: draft.regionCode, kind: KIND_FOR[draft.kind], title: draft.title, bodyMd: draft.bodyMd, status: 'published' });
