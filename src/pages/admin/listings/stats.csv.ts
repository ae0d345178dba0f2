import type { APIRoute } from 'astro';
import { permit } from '../../../lib/auth/index.ts';
import { csvResponse, toCsv } from '../../../lib/csv/index.ts';
import { getDb } from '../../../lib/db/index.ts';
import { listingStats, monthRange, type StatsUnit } from '../../../lib/listings/stats.ts';

const UNITS: StatsUnit[] = ['collector', 'village', 'township', 'county'];

export const GET: APIRoute = ({ locals, url }) => {
  const { user, t } = locals;
  const db = getDb();
  if (!user || !permit(db, { actor: user, clientAddress: locals.clientAddress }, 'listing.stats', user.regionCode)) {
    return new Response(t('error.forbidden'), { status: 403 });
  }
  const month = url.searchParams.get('month') ?? '';
  const unit = UNITS.find((u) => u === url.searchParams.get('unit'));
  if (!monthRange(month) || !unit) return new Response(t('error.badRequest'), { status: 400 });
  const rows = listingStats(db, user.regionCode, month, unit).map((r) => [
    r.key,
    r.name,
    r.submitted,
    r.approved,
    r.rejected,
    r.approvalRate === null ? '' : Number(r.approvalRate.toFixed(4)),
    r.leads,
    r.wechatLeads,
  ]);
  const header = [t('stats.code'), t('stats.name'), t('stats.submitted'), t('stats.approved'), t('stats.rejected'), t('stats.rate'), t('stats.leads'), t('stats.wechatLeads')];
  return csvResponse(toCsv(header, rows), `listing-stats-${unit}-${month}.csv`);
};
