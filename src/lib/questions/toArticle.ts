import { createArticle } from '../articles/write.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { UserError } from '../errors.ts';
import { getQuestion, markFaq } from './index.ts';
import { publicQuestion, questionHref } from './publish.ts';

/**
 * One click: an answered question becomes a published FAQ article of kind "technical" in the
 * actor's region, with the public question text and the answer; it links back to /qa/{id} when
 * the question is public. Returns the article's id.
 */
export function makeFaqArticle(db: Db, ctx: ChangeContext, id: number, backLink: string): number {
  return db.transaction(() => {
    const q = getQuestion(db, id);
    if (!q) throw new UserError('error.notFound', 404);
    const link = publicQuestion(db, id) ? `\n\n[${backLink}](${questionHref(id)})` : '';
    const article = createArticle(db, ctx, {
      regionCode: ctx.actor.regionCode,
      kind: 'technical',
      title: q.publicTitle,
      bodyMd: `${q.publicBody}\n\n---\n\n${q.answerMd}${link}`,
      status: 'published',
    });
    markFaq(db, ctx, id, article.id);
    return article.id;
  }).immediate();
}
