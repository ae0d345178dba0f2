import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/db/index.ts';
import { regionAt } from '../../../lib/regions/index.ts';
import { calendar, icsResponse } from '../../../lib/trainings/ics.ts';
import { countySessions } from '../../../lib/trainings/sessions.ts';

/** A county's training sessions as a calendar feed to subscribe to. */
export const GET: APIRoute = ({ params, url, locals }) => {
  const db = getDb();
  const code = params.code ?? '';
  const county = /^\d{6}$/.test(code) ? regionAt(db, 'county', code) : undefined;
  if (!county) return new Response(locals.t('error.notFound'), { status: 404 });
  const name = locals.t('training.ics.countyName', { county: county.shortName });
  return icsResponse(calendar(countySessions(db, code), name, url.origin), `trainings-${code}.ics`);
};
