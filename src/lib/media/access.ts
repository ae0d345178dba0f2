import { LIBRARY_IMAGE_TYPE } from '../articles/library.ts';
import { can, type Actor } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { many, stmt } from '../db/statements.ts';
import { mayRead } from '../reports/routing.ts';
import { expertProfile, questionsWithPhoto } from '../questions/index.ts';
import { isPublicQuestionPhoto } from '../questions/publish.ts';
import { mayView as mayViewQuestion } from '../questions/scope.ts';

/** Who may be given an image: anyone, only some signed-in staff, or nobody (as if it did not exist). */
export type ImageAudience = 'public' | 'staff' | 'none';

/**
 * Public: a photo of an approved listing whose public copy has not expired, or an image of a
 * township library (library files are public), or a photo of a public question. Whatever else shares the same bytes does not
 * matter: a photo in an approved and in a pending listing is public.
 */
function isPublic(db: Db, sha256: string, now: number): boolean {
  return (
    stmt(
      db,
      `SELECT 1 FROM listing_public_photos lpp JOIN listing_public p ON p.listing_id = lpp.listing_id WHERE lpp.sha256 = ? AND p.expires_at > ?
       UNION ALL SELECT 1 FROM library_files WHERE sha256 = ? AND content_type = ? LIMIT 1`,
    ).get(sha256, now, sha256, LIBRARY_IMAGE_TYPE) !== undefined || isPublicQuestionPhoto(db, sha256)
  );
}

/**
 * Otherwise only people who may open an item showing it: the collectors and reviewers of a
 * listing's village (not yet approved, returned, or an edit awaiting review), and the readers of
 * a report, and the staff and experts who see a question.
 */
function staffMayView(db: Db, actor: Actor, sha256: string): boolean {
  const villages = many<{ code: string }>(db, 'SELECT DISTINCT l.village_code AS code FROM listing_photos lp JOIN listings l ON l.id = lp.listing_id WHERE lp.sha256 = ?', sha256);
  if (villages.some((v) => can(actor, 'listing.edit', v.code))) return true;
  const reports = many<{ authorId: string | null; authorRegion: string; holderCode: string; unitId: number | null }>(
    db,
    `SELECT r.author_id AS authorId, r.author_region AS authorRegion, r.holder_code AS holderCode, r.unit_id AS unitId
     FROM report_photos rp JOIN reports r ON r.id = rp.report_id WHERE rp.sha256 = ?`,
    sha256,
  );
  if (reports.some((r) => mayRead(actor, r))) return true;
  return questionsWithPhoto(db, sha256).some((q) => mayViewQuestion(actor, q, expertProfile(db, actor)));
}

/** Who may be given the variants of the stored image `sha256`, asked for by `actor` (null: anonymous). */
export function imageAudience(db: Db, actor: Actor | null, sha256: string, now = Date.now()): ImageAudience {
  if (isPublic(db, sha256, now)) return 'public';
  return actor && staffMayView(db, actor, sha256) ? 'staff' : 'none';
}
