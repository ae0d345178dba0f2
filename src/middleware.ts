import { defineMiddleware, sequence } from 'astro:middleware';
import { LOCALE_COOKIE, isLocale, pickLocale, translator } from './i18n/index.ts';
import { auth } from './lib/auth/session.ts';
import { getDb } from './lib/db/index.ts';
import { compressResponse, databaseLastModified, finishPublicResponse } from './lib/http/conditional.ts';
import { clientAddressOf } from './lib/http/client.ts';
import { CACHE_CONTROL } from './lib/http/headers.ts';
import { MAX_BODY_BYTES } from './lib/http/limits.ts';
import { isCrossSiteWrite } from './lib/http/origin.ts';
import { sweepExpired } from './lib/listings/index.ts';

const ONE_YEAR = 60 * 60 * 24 * 365;

const locale = defineMiddleware((context, next) => {
  const query = context.url.searchParams.get('lang');
  const chosen = pickLocale(query, context.cookies.get(LOCALE_COOKIE)?.value);
  if (isLocale(query)) {
    context.cookies.set(LOCALE_COOKIE, query, { path: '/', maxAge: ONE_YEAR, sameSite: 'lax' });
  }
  context.locals.locale = chosen;
  context.locals.t = translator(chosen);
  return next();
});

const isPrivate = (path: string) => path === '/login' || path === '/logout' || path === '/admin' || path.startsWith('/admin/');

/** Resolves the session cookie to a user, guards /admin and keeps private pages out of caches. */
const session = defineMiddleware(async (context, next) => {
  const { pathname } = context.url;
  context.locals.clientAddress = clientAddressOf(context.request, context.clientAddress);
  context.locals.user = null;
  context.locals.sessionId = null;
  const sessions = auth(getDb());
  const sessionId = context.cookies.get(sessions.cookieName)?.value;
  if (sessionId) {
    const valid = await sessions.validate(sessionId);
    if (valid) {
      context.locals.user = valid.user;
      context.locals.sessionId = valid.sessionId;
    } else {
      const blank = sessions.blankCookie();
      context.cookies.set(blank.name, blank.value, blank.attributes);
    }
  }
  const user = context.locals.user;
  let guard: Response | undefined;
  if (pathname === '/admin' || pathname.startsWith('/admin/')) {
    if (!user) guard = context.redirect(`/login?next=${encodeURIComponent(pathname + context.url.search)}`);
    else if (user.mustChangePassword && pathname !== '/admin/password') guard = context.redirect('/admin/password');
  }
  const response = guard ?? (await next());
  if (isPrivate(pathname) || user) {
    // Signed-in pages carry personal data: never cached, never revalidated. Content-addressed files
    // (photo variants) are the same for everyone and never change: they keep their long life, or
    // reviewers would fetch every photo again on every page. A photo only staff may see is
    // `private`: kept by their own browser, never by a shared cache.
    const policy = response.headers.get('Cache-Control');
    const contentAddressed = !isPrivate(pathname) && (policy === CACHE_CONTROL.immutable || policy === CACHE_CONTROL.privateImmutable);
    if (!contentAddressed) response.headers.set('Cache-Control', CACHE_CONTROL.noStore);
    return compressResponse(context.request, response);
  }
  response.headers.append('Vary', 'Cookie');
  // Routes with a policy of their own (media, open data, the sitemap) have set it already.
  if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', CACHE_CONTROL.revalidate);
  return finishPublicResponse(context.request, response, databaseLastModified(getDb()));
});

/** Refuses form posts from other sites (CSRF), in the reader's language. */
const sameOrigin = defineMiddleware((context, next) => {
  // The open-data API only reads: it answers any write with its own 405.
  if (context.url.pathname.startsWith('/api/')) return next();
  if (isCrossSiteWrite(context.request, context.url)) {
    return new Response(context.locals.t('error.crossSite'), { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  }
  return next();
});

/** Refuses oversized bodies from their declared length, before reading a byte of them. */
const bodyLimit = defineMiddleware((context, next) => {
  const length = Number(context.request.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) {
    const message = context.locals.t('error.payloadTooLarge', { mb: Math.floor(MAX_BODY_BYTES / 1024 / 1024) });
    return new Response(message, {
      status: 413,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': CACHE_CONTROL.noStore, Connection: 'close' },
    });
  }
  return next();
});

const HOUSEKEEPING_EVERY_MS = 10 * 60 * 1000;
let nextHousekeeping = 0;

/** Now and then: drop expired listings from search and expired sessions from the table. */
const housekeeping = defineMiddleware(async (_context, next) => {
  const now = Date.now();
  if (now >= nextHousekeeping) {
    nextHousekeeping = now + HOUSEKEEPING_EVERY_MS;
    const db = getDb();
    sweepExpired(db, now);
    await auth(db).deleteExpired();
  }
  return next();
});

export const onRequest = sequence(locale, sameOrigin, bodyLimit, housekeeping, session);
