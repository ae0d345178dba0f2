/**
 * Proposed changes: someone who may write in an article's region but ranks below its author
 * proposes new text; the author's level (or above) accepts it, which applies it, or rejects it.
 * Every step is audited in the same transaction as its write.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { UserError } from '../errors.ts';
import type { ChangeContext } from '../context.ts';
import { parseId } from '../validation/number.ts';
import { getArticle } from './index.ts';
import type { Article, ArticleKind, ArticleStatus } from './types.ts';
import { applyArticleUpdate, articleInScope, articleSchema, editable, refuseArticleIntent, summarize } from './write.ts';

export const PROPOSAL_STATES = ['open', 'accepted', 'rejected'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export interface Proposal {
  id: number;
  articleId: number;
  proposerId: string | null;
  /** The proposer's username, or '' when the account was deleted since. */
  proposer: string;
  kind: ArticleKind;
  title: string;
  summary: string;
  bodyMd: string;
  status: ArticleStatus;
  note: string;
  state: ProposalState;
  reason: string;
  createdAt: number;
  decidedAt: number | null;
}

/** The proposed text: the article's own fields except where it is published and its pinning. */
export const proposalSchema = articleSchema.pick({ kind: true, title: true, summary: true, status: true }).extend({
  bodyMd: z.string().trim().min(1, 'validation.required').max(50_000, 'validation.tooLong'),
  note: z.string().trim().max(500, 'validation.tooLong').default(''),
});

/** Kinds whose own fields (a table, a severity, an employer) a proposal does not carry: it cannot move an article into or out of them. */
const KINDS_WITH_FIELDS: readonly ArticleKind[] = ['village_affairs', 'alert', 'jobs'];

const decisionSchema = z.object({
  // Plain digits, as every id in an address or hidden field (`1e3` or `0x10` is not an id).
  proposalId: z
    .string('validation.invalid')
    .refine((v) => parseId(v) !== undefined, 'validation.invalid')
    .transform((v) => parseId(v)!),
  decision: z.enum(['accept', 'reject'], 'validation.invalid'),
  reason: z.string().trim().max(500, 'validation.tooLong').default(''),
});

const COLUMNS = `p.id, p.article_id AS articleId, p.proposer_id AS proposerId, coalesce(u.username, '') AS proposer, p.kind, p.title,
  p.summary, p.body_md AS bodyMd, p.status, p.note, p.state, p.reason, p.created_at AS createdAt, p.decided_at AS decidedAt`;

function getProposal(db: Db, id: number): Proposal | undefined {
  return one<Proposal>(db, `SELECT ${COLUMNS} FROM article_proposals p LEFT JOIN users u ON u.id = p.proposer_id WHERE p.id = ?`, id);
}

/** An article's proposals, open ones first, newest first. */
export function articleProposals(db: Db, articleId: number): Proposal[] {
  return many<Proposal>(
    db,
    `SELECT ${COLUMNS} FROM article_proposals p LEFT JOIN users u ON u.id = p.proposer_id WHERE p.article_id = ?
     ORDER BY p.state = 'open' DESC, p.created_at DESC, p.id DESC LIMIT 100`,
    articleId,
  );
}

/** The ids of articles in a region's subtree that have an open proposal (for the admin list). */
export function articlesWithOpenProposals(db: Db, scope: string): Set<number> {
  const rows = many<{ articleId: number }>(
    db,
    `SELECT DISTINCT p.article_id AS articleId FROM article_proposals p JOIN articles a ON a.id = p.article_id WHERE p.state = 'open' AND a.region_code LIKE ? || '%'`,
    scope,
  );
  return new Set(rows.map((r) => r.articleId));
}

export function proposeChange(db: Db, ctx: ChangeContext, articleId: number, raw: unknown): Proposal {
  const data = proposalSchema.parse(raw);
  const article = articleInScope(db, ctx, articleId);
  refuseArticleIntent(db, ctx, article, 'propose');
  if (data.kind !== article.kind && (KINDS_WITH_FIELDS.includes(data.kind) || KINDS_WITH_FIELDS.includes(article.kind)))
    throw new UserError('validation.article.kind', 400, 'kind');
  return db.transaction(() => {
    const { id } = one<{ id: number }>(
      db,
      `INSERT INTO article_proposals (article_id, proposer_id, kind, title, summary, body_md, status, note, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      articleId,
      ctx.actor.id || null,
      data.kind,
      data.title,
      data.summary,
      data.bodyMd,
      data.status,
      data.note,
      Date.now(),
    )!;
    recordAudit(db, ctx, {
      action: 'article.propose',
      entity: 'article',
      entityId: String(articleId),
      regionCode: article.regionCode,
      summary: `proposal=${id} status=${data.status} title=${data.title}${data.note ? ` note=${data.note}` : ''}`,
    });
    return getProposal(db, id)!;
  }).immediate();
}

/**
 * Accepts (applies the proposed text) or rejects an open proposal. Only someone who may change
 * the article directly decides; a proposal decided already answers 409.
 */
export function decideProposal(db: Db, ctx: ChangeContext, articleId: number, raw: unknown): { proposal: Proposal; article: Article } {
  const { proposalId, decision, reason } = decisionSchema.parse(raw);
  const before = editable(db, ctx, articleId, 'decide');
  const proposal = getProposal(db, proposalId);
  if (!proposal || proposal.articleId !== articleId) throw new UserError('error.notFound', 404);
  return db.transaction(() => {
    const now = Date.now();
    const state: ProposalState = decision === 'accept' ? 'accepted' : 'rejected';
    // Decided once: the state in the WHERE clause makes a second, concurrent decision a no-op.
    const changed = stmt(db, `UPDATE article_proposals SET state = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ? AND state = 'open'`).run(
      state,
      ctx.actor.id || null,
      now,
      reason,
      proposalId,
    ).changes;
    if (changed === 0) throw new UserError('articles.proposal.decided', 409);
    let article = before;
    if (state === 'accepted') {
      const { kind, title, summary, bodyMd, status } = proposal;
      article = applyArticleUpdate(db, before, { regionCode: before.regionCode, pinned: before.pinned, kind, title, summary, bodyMd, status }, now);
      recordAudit(db, ctx, { action: 'article.update', entity: 'article', entityId: String(articleId), regionCode: article.regionCode, summary: summarize(article) });
    }
    recordAudit(db, ctx, {
      action: `article.proposal.${decision}`,
      entity: 'article',
      entityId: String(articleId),
      regionCode: article.regionCode,
      summary: `proposal=${proposalId} by=${proposal.proposer}${reason ? ` reason=${reason}` : ''}`,
    });
    return { proposal: getProposal(db, proposalId)!, article: getArticle(db, articleId)! };
  }).immediate();
}
