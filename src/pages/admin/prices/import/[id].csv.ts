import type { APIRoute } from 'astro';
import { permit } from '../../../../lib/auth/index.ts';
import { csvResponse, toCsv } from '../../../../lib/csv/index.ts';
import { parseCsv } from '../../../../lib/csv/read.ts';
import { getDb } from '../../../../lib/db/index.ts';
import { UserError } from '../../../../lib/errors.ts';
import { getStagedImport, previewImport, refusedTable } from '../../../../lib/prices/index.ts';

/** The refused rows of an uploaded sheet, as they were, with the reasons in a last column. */
export const GET: APIRoute = ({ locals, params }) => {
  const { user, t } = locals;
  const db = getDb();
  const ctx = { actor: user!, clientAddress: locals.clientAddress };
  if (!user || !permit(db, ctx, 'price.enter', user.regionCode)) return new Response(t('error.forbidden'), { status: 403 });
  let staged;
  try {
    staged = getStagedImport(db, ctx, params.id ?? '');
  } catch (err) {
    if (err instanceof UserError) return new Response(t(err.key), { status: err.status });
    throw err;
  }
  const table = parseCsv(staged.body);
  const refused = refusedTable(table, previewImport(db, ctx, staged), t('prices.import.reason'), (e) => `${t(`prices.col.${e.column}`)}: ${t(e.key)}`);
  const name = staged.fileName.replace(/\.[a-z0-9]+$/i, '');
  return csvResponse(toCsv(refused.header, refused.rows), `${name}-refused.csv`);
};
