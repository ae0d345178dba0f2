import type { APIRoute } from 'astro';
import { permit } from '../../../../lib/auth/index.ts';
import { csvResponse } from '../../../../lib/csv/index.ts';
import { getDb } from '../../../../lib/db/index.ts';
import { directoryTemplate } from '../../../../lib/directory/import.ts';

/** The directory import's template: the header row, UTF-8 with a BOM. */
export const GET: APIRoute = ({ locals }) => {
  const { user, t } = locals;
  if (!user || !permit(getDb(), { actor: user, clientAddress: locals.clientAddress }, 'directory.manage', user.regionCode)) {
    return new Response(t('error.forbidden'), { status: 403 });
  }
  return csvResponse(directoryTemplate(), 'directory-template.csv');
};
