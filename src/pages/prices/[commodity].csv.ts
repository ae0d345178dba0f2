import type { APIRoute } from 'astro';
import { csvResponse, toCsv } from '../../lib/csv/index.ts';
import { getDb } from '../../lib/db/index.ts';
import { TREND_CSV_HEADER, trendCsvRows, trendOf } from '../../lib/prices/index.ts';

/** The data a trend page shows, as a spreadsheet. */
export const GET: APIRoute = ({ params, url, locals }) => {
  const trend = trendOf(getDb(), params.commodity ?? '', url.searchParams);
  if (!trend) return new Response(locals.t('error.notFound'), { status: 404 });
  return csvResponse(toCsv(TREND_CSV_HEADER, trendCsvRows(trend)), `${trend.commodity.slug}-${trend.days}d-${trend.to}.csv`);
};
