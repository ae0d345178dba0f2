import type { APIRoute } from 'astro';
import { csvResponse, toCsv } from '../../../../lib/csv/index.ts';
import { getDb } from '../../../../lib/db/index.ts';
import { sessionForStaffPage } from '../../../../lib/trainings/sessions.ts';
import { roster, rosterCsv } from '../../../../lib/trainings/signups.ts';

export const GET: APIRoute = ({ locals, params }) => {
  const user = locals.user;
  if (!user) return new Response(locals.t('error.forbidden'), { status: 403 });
  const db = getDb();
  const ctx = { actor: user, clientAddress: locals.clientAddress };
  const session = sessionForStaffPage(db, ctx, params.id, 'training.roster');
  if (!session) return new Response(locals.t('error.notFound'), { status: 404 });
  const { entries } = roster(db, ctx, session.id);
  const { header, rows } = rosterCsv(entries, locals.t);
  return csvResponse(toCsv(header, rows), `training-${session.id}-roster.csv`);
};
