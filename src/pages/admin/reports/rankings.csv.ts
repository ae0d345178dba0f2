import type { APIRoute } from 'astro';
import { permit } from '../../../lib/auth/index.ts';
import { csvResponse, toCsv } from '../../../lib/csv/index.ts';
import { getDb } from '../../../lib/db/index.ts';
import { rankings, rankingsExport } from '../../../lib/reports/rankings.ts';

export const GET: APIRoute = ({ locals, url }) => {
  const { user, t } = locals;
  const db = getDb();
  if (!user || !permit(db, { actor: user, clientAddress: locals.clientAddress }, 'report.rankings', user.regionCode)) {
    return new Response(t('error.forbidden'), { status: 403 });
  }
  const request = rankingsExport(url.searchParams);
  if (!request) return new Response(t('error.badRequest'), { status: 400 });
  const { period, by } = request;
  const rows = rankings(db, user.regionCode, period, by).map((r, i) => [
    i + 1,
    r.key,
    r.name || t('rankings.sample'),
    r.submitted,
    r.adoptedTownship,
    r.adoptedCounty,
    r.adoptedCity,
    r.urgent,
    r.instructions,
    r.requestsOnTime,
    r.requestsLate,
    r.requestsUnanswered,
    r.score,
  ]);
  const header = [
    'rankings.rank',
    'rankings.code',
    'rankings.name',
    'rankings.submitted',
    'rankings.adoptedTownship',
    'rankings.adoptedCounty',
    'rankings.adoptedCity',
    'rankings.urgent',
    'rankings.instructions',
    'request.rank.onTime',
    'request.rank.late',
    'request.rank.unanswered',
    'rankings.score',
  ] as const;
  return csvResponse(
    toCsv(
      header.map((k) => t(k)),
      rows,
    ),
    `report-rankings-${by}-${period}.csv`,
  );
};
