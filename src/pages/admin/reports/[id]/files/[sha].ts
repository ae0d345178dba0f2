import type { APIRoute } from 'astro';
import { getDb } from '../../../../../lib/db/index.ts';
import { UserError } from '../../../../../lib/errors.ts';
import { auditRefusal } from '../../../../../lib/http/form.ts';
import { readAttachment } from '../../../../../lib/reports/attachments.ts';
import { readReport } from '../../../../../lib/reports/index.ts';
import { parseId } from '../../../../../lib/validation/number.ts';

/** Downloads a report's attachment, only for people who may read the report; never shown inline. */
export const GET: APIRoute = async ({ locals, params }) => {
  const { user, t, clientAddress } = locals;
  const notFound = () => new Response(t('error.notFound'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const id = parseId(params.id);
  if (!user || id === undefined) return notFound();
  let attachment;
  const db = getDb();
  try {
    attachment = readReport(db, user, id).attachments.find((a) => a.sha256 === params.sha);
  } catch (err) {
    if (err instanceof UserError) {
      auditRefusal(err, { db, ctx: { actor: user, clientAddress } });
      return notFound();
    }
    throw err;
  }
  if (!attachment) return notFound();
  return new Response(new Uint8Array(await readAttachment(attachment.sha256)), {
    headers: {
      'Content-Type': attachment.mime,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  });
};
