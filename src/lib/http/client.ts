import { config } from '../config.ts';

/**
 * The client's address for throttling and the audit log. Behind a reverse proxy set TRUST_PROXY=1
 * and the proxy's X-Forwarded-For (its last entry, the one the proxy itself added) is used.
 */
export function clientAddressOf(request: Request, socketAddress: string): string {
  if (config().TRUST_PROXY) {
    const forwarded = request.headers.get('x-forwarded-for');
    const last = forwarded?.split(',').pop()?.trim();
    if (last) return last.slice(0, 64);
  }
  return socketAddress;
}
