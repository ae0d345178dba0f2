import type { APIRoute } from 'astro';
import { permit } from '../../../lib/auth/index.ts';
import { coverageScope, monthRange, scorecard } from '../../../lib/coverage/index.ts';
import { SCORE_FIGURES } from '../../../lib/coverage/weights.ts';
import { csvResponse, toCsv } from '../../../lib/csv/index.ts';
import { getDb } from '../../../lib/db/index.ts';
import { currentMonth } from '../../../lib/reports/rankings.ts';

export const GET: APIRoute = ({ locals, url }) => {
  const { user, t } = locals;
  const db = getDb();
  if (!user || !permit(db, { actor: user, clientAddress: locals.clientAddress }, 'coverage.view', user.regionCode)) {
    return new Response(t('error.forbidden'), { status: 403 });
  }
  const region = coverageScope(db, user, url.searchParams.get('region'));
  if (!region || region.level === 'township') return new Response(t('error.notFound'), { status: 404 });
  const month = url.searchParams.get('month')?.trim() || currentMonth();
  if (!monthRange(month)) return new Response(t('error.badRequest'), { status: 400 });
  const header = [
    t('scorecard.rank'),
    'code',
    t('scorecard.name'),
    ...SCORE_FIGURES.map((f) => t(`scorecard.figure.${f}` as const)),
    ...(
      [
        'scorecard.violations',
        'scorecard.listingsPosted',
        'scorecard.listingsRenewed',
        'scorecard.sessions',
        'scorecard.attended',
        'scorecard.reportsAdopted',
        'scorecard.questionsAsked',
        'scorecard.questionsInTime',
        'scorecard.score',
      ] as const
    ).map((k) => t(k)),
  ];
  const rows = scorecard(db, region.code, month).map((r, i) => [
    i + 1,
    r.code,
    r.name,
    ...SCORE_FIGURES.map((f) => r.figures[f]),
    r.violations,
    r.listingsPosted,
    r.listingsRenewed,
    r.sessions,
    r.attended,
    r.reportsAdopted,
    r.questionsAsked,
    r.questionsInTime,
    r.score,
  ]);
  return csvResponse(toCsv(header, rows), `scorecard-${region.code}-${month}.csv`);
};
