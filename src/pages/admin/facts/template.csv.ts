import type { APIRoute } from 'astro';
import { permit } from '../../../lib/auth/index.ts';
import { csvResponse, toCsv } from '../../../lib/csv/index.ts';
import { getDb } from '../../../lib/db/index.ts';
import { FACT_IMPORT, factTemplate } from '../../../lib/facts/import.ts';

/** The facts sheet to fill in: the county's regions with codes and names (UTF-8 with BOM, for Excel). */
export const GET: APIRoute = ({ locals }) => {
  const { user, t } = locals;
  const db = getDb();
  if (!user || !permit(db, { actor: user, clientAddress: locals.clientAddress }, FACT_IMPORT, user.regionCode)) return new Response(t('error.forbidden'), { status: 403 });
  const template = factTemplate(db, user.regionCode);
  return csvResponse(toCsv(template.header, template.rows), `facts-${user.regionCode}.csv`);
};
