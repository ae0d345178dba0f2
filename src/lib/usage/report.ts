import type { Translate } from '../../i18n/index.ts';
import type { Db } from '../db/index.ts';
import { brokenLinks, lastLinkCheck, type BrokenLink, type LinkCheckRun } from '../links/index.ts';
import { viewsChart, type ViewsChart } from './chart.ts';
import {
  leadsByCollector,
  leadsByListing,
  topPages,
  usageByUnit,
  viewsByKind,
  viewsPerDay,
  type CollectorLeads,
  type DayRange,
  type DayViews,
  type KindViews,
  type ListingLeads,
  type PageViews,
  type UnitUsage,
} from './stats.ts';

/** Everything /admin/stats shows for one region's subtree and range, loaded at once. */
export interface UsageReport {
  range: DayRange;
  days: DayViews[];
  chart: ViewsChart;
  totalViews: number;
  totalLeads: number;
  kinds: KindViews[];
  top: PageViews[];
  units: UnitUsage[];
  listings: ListingLeads[];
  collectors: CollectorLeads[];
  broken: BrokenLink[];
  lastCheck: LinkCheckRun | undefined;
}

export function usageReport(db: Db, scope: string, range: DayRange): UsageReport {
  const days = viewsPerDay(db, scope, range);
  const collectors = leadsByCollector(db, scope, range);
  return {
    range,
    days,
    chart: viewsChart(days),
    totalViews: days.reduce((n, d) => n + d.views, 0),
    totalLeads: collectors.reduce((n, c) => n + c.leads, 0),
    kinds: viewsByKind(db, scope, range),
    top: topPages(db, scope, range),
    units: usageByUnit(db, scope, range),
    listings: leadsByListing(db, scope, range),
    collectors,
    broken: brokenLinks(db, scope),
    lastCheck: lastLinkCheck(db),
  };
}

/** The tables /admin/stats.csv exports, one at a time (`?table=`). */
export const USAGE_TABLES = ['days', 'pages', 'units', 'listings', 'collectors'] as const;
export type UsageTable = (typeof USAGE_TABLES)[number];

/** One table as CSV cells; `label` words the headers and kinds in the reader's language. */
export function usageCsv(db: Db, scope: string, range: DayRange, table: UsageTable, label: Translate): { header: string[]; rows: unknown[][] } {
  switch (table) {
    case 'days':
      return { header: [label('usage.csv.day'), label('usage.views')], rows: viewsPerDay(db, scope, range).map((d) => [d.day, d.views]) };
    case 'pages':
      return {
        header: [label('usage.page'), label('usage.kind'), label('usage.views')],
        rows: topPages(db, scope, range, 10_000).map((p) => [p.path, label(`usage.kind.${p.kind}` as const), p.views]),
      };
    case 'units':
      return {
        header: [label('usage.csv.code'), label('usage.unit'), label('usage.views'), label('usage.leads')],
        rows: usageByUnit(db, scope, range).map((u) => [u.code, u.name, u.views, u.leads]),
      };
    case 'listings':
      return {
        header: [label('usage.csv.code'), label('usage.leads.listing'), label('usage.leads.village'), label('usage.leads.collector'), label('usage.leads')],
        rows: leadsByListing(db, scope, range, 100_000).map((l) => [l.listingId, l.title, l.villageName, l.authorName, l.leads]),
      };
    case 'collectors':
      return {
        header: [label('usage.leads.collector'), label('usage.leads.listings'), label('usage.leads')],
        rows: leadsByCollector(db, scope, range).map((c) => [c.name, c.listings, c.leads]),
      };
  }
}
