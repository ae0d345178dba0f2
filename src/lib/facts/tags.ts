/**
 * Main-industry tags: a controlled list (content/facts/industries.txt) plus the names villages
 * add, which stay pending until their county's staff approve them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import type { FactTag } from './types.ts';

export const TAG_REVIEW = 'region.reviewFactTags' as const;

export function referenceTagsPath(root: string): string {
  return join(root, 'content', 'facts', 'industries.txt');
}

/** The reference list: one name a line, `#` starts a comment. */
export function readReferenceTags(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/** Seed step: the reference list, approved. */
export function seedReferenceTags(db: Db, names: string[], now = Date.now()): void {
  for (const name of names) stmt(db, `INSERT OR IGNORE INTO fact_tags (name, status, created_at) VALUES (?, 'approved', ?)`).run(name, now);
}

const TAG = `SELECT name, status, county_code AS countyCode, created_at AS createdAt FROM fact_tags`;

export function approvedTags(db: Db): string[] {
  return many<{ name: string }>(db, `SELECT name FROM fact_tags WHERE status = 'approved' ORDER BY county_code IS NOT NULL, created_at, name`).map((r) => r.name);
}

export function approvedTagCount(db: Db): number {
  return one<{ n: number }>(db, "SELECT count(*) AS n FROM fact_tags WHERE status = 'approved'")!.n;
}

export function approvedTagNames(db: Db): Set<string> {
  return new Set(approvedTags(db));
}

export function getTag(db: Db, name: string): FactTag | undefined {
  return one<FactTag>(db, `${TAG} WHERE name = ?`, name);
}

/** Free additions waiting for a county inside `scope`. */
export function pendingTags(db: Db, scope: string): FactTag[] {
  return many<FactTag>(db, `${TAG} WHERE status = 'pending' AND county_code >= ? AND county_code < ? ORDER BY created_at, name`, scope.slice(0, 6), `${scope.slice(0, 6)}:`);
}

/**
 * Inside an entry's transaction: names not yet known become pending proposals of the region's
 * county; a name the county refused is refused again.
 */
export function proposeTags(db: Db, ctx: ChangeContext, regionCode: string, names: string[], now = Date.now()): void {
  for (const name of names) {
    const known = getTag(db, name);
    if (known?.status === 'rejected') throw new UserError('validation.facts.tagRejected', 400, 'industries');
    if (known) continue;
    stmt(db, `INSERT INTO fact_tags (name, status, county_code, proposed_by, created_at) VALUES (?, 'pending', ?, ?, ?)`).run(
      name,
      regionCode.slice(0, 6),
      ctx.actor.id || null,
      now,
    );
    recordAudit(db, ctx, { action: 'factTag.propose', entity: 'fact_tag', entityId: name, regionCode: regionCode.slice(0, 6), summary: `tag=${name}` });
  }
}

export const TAG_INTENTS = ['approve', 'reject'] as const;
export type TagIntent = (typeof TAG_INTENTS)[number];

/** What the actor may do with a tag: county staff of its county review a pending one. */
export function allowedTagIntents(actor: Actor, tag: FactTag): TagIntent[] {
  return tag.status === 'pending' && tag.countyCode !== null && can(actor, TAG_REVIEW, tag.countyCode) ? [...TAG_INTENTS] : [];
}

/** County staff approve or reject a proposed tag; others, and unknown names, get "not found". */
export function reviewTag(db: Db, ctx: ChangeContext, name: string, intent: TagIntent, now = Date.now()): void {
  db.transaction(() => {
    const tag = getTag(db, name);
    if (!tag || tag.countyCode === null || !can(ctx.actor, TAG_REVIEW, tag.countyCode)) throw new ForbiddenError(TAG_REVIEW, tag?.countyCode ?? '', { asNotFound: true });
    if (!allowedTagIntents(ctx.actor, tag).includes(intent)) throw new UserError('validation.facts.tagReviewed', 409);
    const status = intent === 'approve' ? 'approved' : 'rejected';
    stmt(db, 'UPDATE fact_tags SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE name = ?').run(status, ctx.actor.id || null, now, name);
    recordAudit(db, ctx, { action: `factTag.${intent}`, entity: 'fact_tag', entityId: name, regionCode: tag.countyCode, summary: `tag=${name}` });
  }).immediate();
}
