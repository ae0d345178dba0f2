import type { APIRoute } from 'astro';
import { permit } from '../../../lib/auth/index.ts';
import { config } from '../../../lib/config.ts';
import { csvResponse, toCsv } from '../../../lib/csv/index.ts';
import { getDb } from '../../../lib/db/index.ts';
import { figuresCsv, monthlyFigures } from '../../../lib/questions/stats.ts';
import { monthRange } from '../../../lib/trainings/schemas.ts';

export const GET: APIRoute = ({ locals, url }) => {
  const { user, t } = locals;
  const db = getDb();
  if (!user || !permit(db, { actor: user, clientAddress: locals.clientAddress }, 'question.stats', user.regionCode)) {
    return new Response(t('error.forbidden'), { status: 403 });
  }
  const month = url.searchParams.get('month') ?? '';
  const range = monthRange(month);
  if (!range) return new Response(t('error.badRequest'), { status: 400 });
  const { total, counties } = monthlyFigures(db, user.regionCode, range, config().QUESTION_OVERDUE_DAYS);
  const { header, rows } = figuresCsv([...counties, total], t);
  return csvResponse(toCsv(header, rows), `question-figures-${month}.csv`);
};
