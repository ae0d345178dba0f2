import type { APIRoute } from 'astro';
import { databaseHealth } from '../lib/db/health.ts';
import { getDb } from '../lib/db/index.ts';
import { CACHE_CONTROL } from '../lib/http/headers.ts';

/** The page readers open first; rendering it loads the same modules and data a reader's request does. */
const PROBE_PATH = '/';

/**
 * Healthy means a reader would get a page: the database answers and the home page renders
 * through the same router, middleware and page modules as a reader's request (a build whose files
 * went missing fails here, not only on readers). Reports the build it serves.
 */
export const GET: APIRoute = async (context) => {
  const database = databaseHealth(getDb()).database;
  let page: { path: string; status: number; error?: string };
  try {
    // A bare request: anonymous, uncompressed, so the HTML can be checked as it is.
    const response = await context.rewrite(new Request(new URL(PROBE_PATH, context.url)));
    const html = await response.text();
    const complete = response.status === 200 && /<\/html>\s*$/i.test(html);
    page = { path: PROBE_PATH, status: response.status, ...(complete ? {} : { error: 'the page did not render completely' }) };
  } catch (err) {
    // The details (file paths of a broken build, say) go to the server's log, not to the public.
    console.error('healthz: rendering the home page failed:', err);
    page = { path: PROBE_PATH, status: 500, error: 'the page failed to render; see the server log' };
  }
  const ok = database.status === 'ok' && page.error === undefined;
  return Response.json({ status: ok ? 'ok' : 'error', build: __BUILD_ID__, database, page }, { status: ok ? 200 : 503, headers: { 'Cache-Control': CACHE_CONTROL.noStore } });
};
