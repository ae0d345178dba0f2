import type { APIRoute } from 'astro';
import { permit } from '../../../../lib/auth/index.ts';
import { csvResponse, toCsv } from '../../../../lib/csv/index.ts';
import { getDb } from '../../../../lib/db/index.ts';
import { getSession } from '../../../../lib/trainings/sessions.ts';
import { roster, ROSTER_CSV_HEADER, rosterCsvRows } from '../../../../lib/trainings/signups.ts';

export const GET: APIRoute = ({ locals, params }) => {
  const user = locals.user;
  const db = getDb();
  const id = params.id ?? '';
  const session = /^\d{1,12}$/.test(id) ? getSession(db, Number(id)) : undefined;
  if (!session) return new Response(locals.t('error.notFound'), { status: 404 });
  const forbidden = () => new Response(locals.t('error.forbidden'), { status: 403 });
  if (!user) return forbidden();
  const ctx = { actor: user, clientAddress: locals.clientAddress };
  if (!permit(db, ctx, 'training.roster', session.countyCode)) return forbidden();
  const { entries } = roster(db, ctx, session.id);
  return csvResponse(toCsv(ROSTER_CSV_HEADER, rosterCsvRows(entries)), `training-${session.id}-roster.csv`);
};
