import type { IncomingMessage } from 'node:http';
import { config } from '../config.ts';
import type { Listener } from '../site.ts';
import { addressAllowed } from '../validation/network.ts';

/**
 * Which listener a request came in on. The portal server writes it on every request (replacing
 * whatever a client sent under that name), so the application can trust it; without the portal
 * server (astro dev) every request is public.
 */
export const LISTENER_HEADER = 'x-xiangxin-listener';

export function markListener(req: IncomingMessage, listener: Listener): void {
  req.headers[LISTENER_HEADER] = listener;
}

export function listenerOf(request: Request): Listener {
  return request.headers.get(LISTENER_HEADER) === 'admin' ? 'admin' : 'public';
}

const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/**
 * Sign-in, the admin and its API belong to the admin listener. The 404 page, the health probe,
 * photos and files (staff see them in the admin, readers on public pages) and the text-size and
 * language preferences answer on both; every other route is a public page.
 */
function routeKind(path: string): Listener | 'both' {
  if (path === '/login' || path === '/logout' || under(path, '/admin') || under(path, '/api/admin')) return 'admin';
  if (path === '/404' || path === '/healthz' || under(path, '/media') || under(path, '/preferences')) return 'both';
  return 'public';
}

/**
 * Whether `listener` refuses `path` (answered like any unknown address). With ADMIN_LISTEN each
 * listener keeps to its own routes; the public one still serves the admin unless PUBLIC_ADMIN=off.
 */
export function refusedRoute(listener: Listener, path: string): boolean {
  const kind = routeKind(path);
  if (kind === 'both' || kind === listener) return false;
  if (listener === 'admin') return true;
  return !config().PUBLIC_ADMIN;
}

/** Whether the admin listener refuses this client address (ADMIN_ALLOW_CIDRS; no list: anyone). */
export function refusedAddress(listener: Listener, clientAddress: string): boolean {
  const cidrs = config().ADMIN_ALLOW_CIDRS;
  return listener === 'admin' && cidrs !== undefined && !addressAllowed(cidrs, clientAddress);
}
