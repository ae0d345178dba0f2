import type { APIRoute } from 'astro';
import { databaseHealth } from '../lib/db/health.ts';
import { getDb } from '../lib/db/index.ts';
import { CACHE_CONTROL } from '../lib/http/headers.ts';

export const GET: APIRoute = () => {
  const health = databaseHealth(getDb());
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': CACHE_CONTROL.noStore } });
};
