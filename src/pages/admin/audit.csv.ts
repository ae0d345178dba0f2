import type { APIRoute } from 'astro';
import { AUDIT_CSV_HEADER, auditCsvRows, auditFilterFromQuery, queryAudit } from '../../lib/audit/index.ts';
import { permit } from '../../lib/auth/index.ts';
import { csvResponse, toCsv } from '../../lib/csv/index.ts';
import { getDb } from '../../lib/db/index.ts';
import { today } from '../../lib/time.ts';

export const GET: APIRoute = ({ locals, url }) => {
  const user = locals.user;
  const db = getDb();
  if (!user || !permit(db, { actor: user, clientAddress: locals.clientAddress }, 'audit.view', user.regionCode)) {
    return new Response(locals.t('error.forbidden'), { status: 403 });
  }
  const filter = { ...auditFilterFromQuery(url.searchParams, user.regionCode), limit: 100_000, offset: 0 };
  const { rows } = queryAudit(db, filter);
  return csvResponse(toCsv(AUDIT_CSV_HEADER, auditCsvRows(rows)), `audit-${today()}.csv`);
};
