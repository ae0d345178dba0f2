import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { addReportEvent, readReport, refuseReportIntent } from './index.ts';
import type { ReportCategory } from './types.ts';
import type { ChangeContext } from '../context.ts';

export interface ArticleDraft {
  title: string;
  bodyMd: string;
  regionCode: string;
  /** The report's category; the articles module maps it to one of its kinds. */
  kind: ReportCategory;
}

/**
 * Creates the article (step 6's module). It runs inside this module's transaction, so the
 * article and the link to it commit or roll back together.
 */
export type CreateArticle = (db: Db, ctx: ChangeContext, draft: ArticleDraft) => { id: number };

/**
 * Turns a report adopted at the actor's level (a county or the city) into a published article
 * in one action, and keeps the link (report → article) on the report.
 */
export function publishReport(db: Db, ctx: ChangeContext, id: number, createArticle: CreateArticle): { articleId: number } {
  let articleId = 0;
  db.transaction(() => {
    const report = readReport(db, ctx.actor, id);
    const level = ctx.actor.regionCode;
    refuseReportIntent(ctx.actor, report, 'publish');
    articleId = createArticle(db, ctx, { title: report.title, bodyMd: report.bodyMd, regionCode: report.regionCode, kind: report.category }).id;
    const now = Date.now();
    stmt(db, 'UPDATE reports SET article_id = ?, updated_at = ? WHERE id = ?').run(articleId, now, id);
    addReportEvent(db, id, 'published', level, ctx.actor, `article=${articleId}`, now);
    recordAudit(db, ctx, { action: 'report.publish', entity: 'report', entityId: String(id), regionCode: report.regionCode, summary: `article=${articleId}` });
  }).immediate();
  return { articleId };
}
