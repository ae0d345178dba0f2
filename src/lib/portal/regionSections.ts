import { ARTICLE_KINDS, visibleArticlesOfKinds } from '../articles/index.ts';
import { libraryFiles, type LibraryFile } from '../articles/library.ts';
import type { Article, ArticleKind } from '../articles/types.ts';
import type { Db } from '../db/index.ts';
import { listPublic } from '../listings/index.ts';
import type { PublicListing } from '../listings/types.ts';
import { renderPublicMarkdown } from '../media/markdownImages.ts';
import { latestPurchasePrices, priceBoard, type BoardRow, type PurchasePrice } from '../prices/index.ts';
import { publicQuestions, type PublicQuestion } from '../questions/publish.ts';
import { getRegion, type Region } from '../regions/index.ts';
import { getBase, type TrainingBase } from '../trainings/bases.ts';
import { noticesForRegion, type TrainingNotice } from '../trainings/notices.ts';
import { upcomingSessions, type TrainingSession } from '../trainings/sessions.ts';

/**
 * Everything the information blocks of a region page show, read here so that the page loads and
 * the blocks (src/components/sections/*) only render. Markdown comes already rendered to HTML.
 */
export interface RegionSections {
  products: { items: PublicListing[]; total: number; regionOf: (code: string) => Region | undefined };
  /** The county whose markets (and the city-wide ones) the strip shows; undefined on the city page: every market. */
  prices: { rows: BoardRow[]; servingCounty: string | undefined };
  /** Approved local purchase prices of the region's collection points and those below, newest first. */
  purchase: PurchasePrice[];
  trainings: {
    sessions: TrainingSession[];
    base: (TrainingBase & { introHtml: string }) | undefined;
    notices: (TrainingNotice & { bodyHtml: string })[];
  };
  notices: { articles: Article[]; total: number };
  /** The latest of each kind but notices (those have their own block); kinds with nothing are left out. */
  articles: { kind: ArticleKind; articles: Article[]; total: number }[];
  /** A township's latest library files; undefined on other levels, which have no library. */
  library: LibraryFile[] | undefined;
  /** Published questions asked in a township or village; undefined on the county and city pages (/qa lists those). */
  questions: { items: PublicQuestion[]; total: number; regionOf: (code: string) => Region | undefined } | undefined;
}

export async function loadRegionSections(db: Db, region: Region): Promise<RegionSections> {
  const isCity = region.level === 'city';
  const servingCounty = isCity ? undefined : region.code.slice(0, 6);
  const base = region.level === 'county' ? getBase(db, region.code) : undefined;
  const notices = isCity ? [] : noticesForRegion(db, region.code);
  // Six notices and the latest three of every other kind, read together.
  const articles = visibleArticlesOfKinds(db, region.code, Object.fromEntries(ARTICLE_KINDS.map((kind) => [kind, kind === 'notice' ? 6 : 3])));
  return {
    products: { ...listPublic(db, { within: isCity ? '' : region.code, limit: region.level === 'village' ? 24 : 6 }), regionOf: (code: string) => getRegion(db, code) },
    prices: { rows: priceBoard(db, { servingCounty, newestFirst: true, limit: 8 }), servingCounty },
    purchase: latestPurchasePrices(db, { within: isCity ? '' : region.code, limit: 8 }),
    trainings: {
      sessions: upcomingSessions(db, { within: region.code, limit: isCity ? 8 : 5, seats: 'open' }),
      base: base && { ...base, introHtml: base.introMd ? await renderPublicMarkdown(db, base.introMd) : '' },
      notices: await Promise.all(notices.map(async (n) => ({ ...n, bodyHtml: await renderPublicMarkdown(db, n.bodyMd) }))),
    },
    notices: articles.get('notice')!,
    articles: ARTICLE_KINDS.filter((kind) => kind !== 'notice')
      .map((kind) => ({ kind, ...articles.get(kind)! }))
      .filter((g) => g.articles.length > 0),
    library: region.level === 'township' ? libraryFiles(db, region.code).slice(0, 5) : undefined,
    questions:
      region.level === 'township' || region.level === 'village'
        ? { ...publicQuestions(db, { within: region.code, limit: 5 }), regionOf: (code: string) => getRegion(db, code) }
        : undefined,
  };
}
