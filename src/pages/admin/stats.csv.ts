import type { APIRoute } from 'astro';
import { permit } from '../../lib/auth/index.ts';
import { csvResponse, toCsv } from '../../lib/csv/index.ts';
import { getDb } from '../../lib/db/index.ts';
import { USAGE_TABLES, usageCsv } from '../../lib/usage/report.ts';
import { dayRangeFrom } from '../../lib/usage/stats.ts';

export const GET: APIRoute = ({ locals, url }) => {
  const { user, t } = locals;
  const db = getDb();
  if (!user || !permit(db, { actor: user, clientAddress: locals.clientAddress }, 'usage.view', user.regionCode)) {
    return new Response(t('error.forbidden'), { status: 403 });
  }
  const table = USAGE_TABLES.find((name) => name === url.searchParams.get('table'));
  if (!table) return new Response(t('error.badRequest'), { status: 400 });
  const range = dayRangeFrom(url.searchParams);
  const { header, rows } = usageCsv(db, user.regionCode, range, table, t);
  return csvResponse(toCsv(header, rows), `usage-${table}-${range.from}-${range.to}.csv`);
};
