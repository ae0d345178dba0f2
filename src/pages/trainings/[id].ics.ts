import type { APIRoute } from 'astro';
import { getDb } from '../../lib/db/index.ts';
import { calendar, icsResponse } from '../../lib/trainings/ics.ts';
import { sessionFromParam } from '../../lib/trainings/sessions.ts';

/** One session as an iCalendar file, to add it to a phone's calendar. */
export const GET: APIRoute = ({ params, url, locals }) => {
  const session = sessionFromParam(getDb(), params.id);
  if (!session) return new Response(locals.t('error.notFound'), { status: 404 });
  return icsResponse(calendar([session], session.title, url.origin), `training-${session.id}.ics`);
};
