import { activeAlerts, type ActiveAlert } from '../articles/alerts.ts';
import { articleHref, visibleArticles, type Article } from '../articles/index.ts';
import { disclosureStatus } from '../articles/villageAffairs.ts';
import type { Db } from '../db/index.ts';
import { listPublic, type PublicListing } from '../listings/index.ts';
import { priceBoard, type BoardRow } from '../prices/index.ts';
import { getRegion, type Region, regionAncestors, regionAt, regionHref, type RegionProfile } from '../regions/index.ts';
import { parseRegionRoute } from '../regions/route.ts';
import { today } from '../time.ts';
import { getBase } from '../trainings/bases.ts';
import { countUpcomingInScope, upcomingSessions, type TrainingSession } from '../trainings/sessions.ts';

/**
 * The printable information board (信息公示栏) of a village information point or a township
 * station: what the point posts on its wall, gathered from the domain modules. Every section is
 * capped so that the sheet fits on one or two A4 pages; a capped section says where the rest is.
 */

export const BOARD_LIMITS = { listings: 6, prices: 8, trainings: 3, notices: 4 } as const;

/** "This week's prices": observations older than this many days are left off the sheet. */
const PRICE_DAYS = 7;
const DAY = 24 * 3600_000;

/** Every piece of sample content the seed writes carries this mark in its title or name. */
export const SAMPLE_MARK = '示例';

export type BoardLevel = 'village' | 'township';

/** `/{level}/{code}/board` exists for villages and townships only. */
export function parseBoardRoute(level: string | undefined, code: string | undefined): { level: BoardLevel; code: string } | undefined {
  const route = parseRegionRoute(level, code);
  return route && route.level !== 'county' ? { level: route.level, code: route.code } : undefined;
}

/** A section's first items, how many there are in all, and the page that lists them all. */
export interface Capped<T> {
  items: T[];
  total: number;
  moreUrl: string;
}

export interface BoardListing extends PublicListing {
  url: string;
  villageName: string;
}

export interface BoardTraining extends TrainingSession {
  url: string;
}

export interface BoardNotice extends Article {
  url: string;
}

export interface Board {
  region: RegionProfile;
  /** The units above the region, below the city (county, and township for a village). */
  above: Region[];
  /** Absolute address of the region's page, for the sheet's QR code. */
  pageUrl: string;
  listings: Capped<BoardListing>;
  /** `county`: the county's own markets; `city`: the city-wide market, when the county has no prices this week. */
  prices: { rows: BoardRow[]; scope: 'county' | 'city'; moreUrl: string };
  /** Upcoming sessions in the county; `phone` is the county training base's, if it has one. */
  trainings: Capped<BoardTraining> & { phone: string };
  notices: Capped<BoardNotice>;
  /** A village's latest 村务公开 per subject (nothing for a township), with its table. */
  villageAffairs: BoardNotice[];
  /** Valid disaster and weather alerts of the region, at the top of the sheet. */
  alerts: ActiveAlert[];
  /** Some of what the sheet shows is sample content (labelled with `SAMPLE_MARK`). */
  hasSamples: boolean;
}

type Absolute = (path: string) => string;

/** This week's prices for a county: its own markets, else the city-wide ones. */
function weekPrices(db: Db, county: string, absolute: Absolute, now: number): Board['prices'] {
  const since = today(now - (PRICE_DAYS - 1) * DAY);
  const recent = priceBoard(db, { servingCounty: county, newestFirst: true }).filter((r) => r.observedOn >= since);
  const local = recent.filter((r) => r.marketRegion.startsWith(county));
  const rows = local.length > 0 ? local : recent.filter((r) => !r.marketRegion.startsWith(county));
  return { rows: rows.slice(0, BOARD_LIMITS.prices), scope: local.length > 0 ? 'county' : 'city', moreUrl: absolute('/prices') };
}

function upcomingTrainings(db: Db, county: string, absolute: Absolute, now: number): Board['trainings'] {
  // Cancelled sessions stay listed online for those signed up; a wall sheet shows only those that happen.
  const scheduled = upcomingSessions(db, { within: county }, now).filter((s) => s.status === 'scheduled');
  return {
    items: scheduled.slice(0, BOARD_LIMITS.trainings).map((s) => ({ ...s, url: absolute(`/trainings/${s.id}`) })),
    total: countUpcomingInScope(db, county, now),
    moreUrl: absolute(`/trainings?county=${county}`),
    phone: getBase(db, county)?.contactPhone ?? '',
  };
}

/** The board of a village or township, or undefined when there is no such unit at that level. */
export function loadBoard(db: Db, level: BoardLevel, code: string, origin: string, now = Date.now()): Board | undefined {
  const region = regionAt(db, level, code);
  if (!region) return undefined;
  const county = code.slice(0, 6);
  const absolute: Absolute = (path) => `${origin}${path}`;

  const listed = listPublic(db, { within: code, limit: BOARD_LIMITS.listings }, now);
  const listings = {
    items: listed.items.map((l) => ({ ...l, url: absolute(`/products/${l.id}`), villageName: getRegion(db, l.villageCode)?.shortName ?? '' })),
    total: listed.total,
    moreUrl: absolute(`/products?${level}=${code}`),
  };
  const prices = weekPrices(db, county, absolute, now);
  const trainings = upcomingTrainings(db, county, absolute, now);
  const noticeList = visibleArticles(db, { regionCode: code, kind: 'notice', limit: BOARD_LIMITS.notices });
  const notices = {
    items: noticeList.articles.map((a) => ({ ...a, url: absolute(articleHref(a.id)) })),
    total: noticeList.total,
    moreUrl: absolute(`/articles?kind=notice&region=${code}`),
  };

  const villageAffairs =
    level === 'village'
      ? disclosureStatus(db, code, now)
          .flatMap((s) => (s.latest ? [s.latest] : []))
          .map((a) => ({ ...a, url: absolute(articleHref(a.id)) }))
      : [];

  const shown = [
    ...listings.items.map((l) => l.title),
    ...prices.rows.map((r) => r.marketName),
    ...trainings.items.map((s) => s.title),
    ...notices.items.map((a) => a.title),
    ...villageAffairs.map((a) => a.title),
  ];
  return {
    region,
    above: regionAncestors(db, code).filter((r) => r.level !== 'city' && r.code !== code),
    pageUrl: absolute(regionHref(region)),
    listings,
    prices,
    trainings,
    notices,
    villageAffairs,
    alerts: activeAlerts(db, code, now),
    hasSamples: shown.some((text) => text.includes(SAMPLE_MARK)),
  };
}
