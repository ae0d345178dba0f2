import { defineMiddleware, sequence } from 'astro:middleware';
import { LOCALE_COOKIE, isLocale, pickLocale, translator } from './i18n/index.ts';
import { SECOND_FACTOR_PAGE } from './lib/auth/secondFactor.ts';
import { auth } from './lib/auth/session.ts';
import { getDb } from './lib/db/index.ts';
import { compressResponse, databaseLastModified, finishPublicResponse } from './lib/http/conditional.ts';
import { clientAddressOf } from './lib/http/client.ts';
import { CACHE_CONTROL } from './lib/http/headers.ts';
import { listenerOf, refusedAddress, refusedRoute } from './lib/http/listeners.ts';
import { allowSharedCache } from './lib/http/sharedCache.ts';
import { isCrossSiteWrite } from './lib/http/origin.ts';
import { consume, limitsFor } from './lib/limits/index.ts';

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

/**
 * Keeps each listener to its routes (ADMIN_LISTEN, PUBLIC_ADMIN): another listener's route answers
 * as any unknown address does, with the 404 page. The admin listener also refuses clients outside
 * ADMIN_ALLOW_CIDRS, by the socket's address (X-Forwarded-For only with TRUST_PROXY).
 */
const listener = defineMiddleware((context, next) => {
  const arrivedOn = listenerOf(context.request);
  context.locals.listener = arrivedOn;
  if (refusedAddress(arrivedOn, clientAddressOf(context.request, context.clientAddress))) {
    return new Response(context.locals.t('separation.adminNetworkOnly'), {
      status: 403,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': CACHE_CONTROL.noStore },
    });
  }
  if (refusedRoute(arrivedOn, context.url.pathname)) return context.rewrite('/404');
  return next();
});

const isPrivate = (path: string) => path === '/login' || path === '/logout' || path === '/admin' || path.startsWith('/admin/');

/** Resolves the session cookie to a user, guards /admin and keeps private pages out of caches. */
const session = defineMiddleware(async (context, next) => {
  const { pathname } = context.url;
  context.locals.clientAddress = clientAddressOf(context.request, context.clientAddress);
  context.locals.user = null;
  context.locals.sessionId = null;
  context.locals.secondFactorSessionId = null;
  const sessions = auth(getDb());
  const sessionId = context.cookies.get(sessions.cookieName)?.value;
  if (sessionId) {
    const valid = await sessions.validate(sessionId);
    if (valid?.secondFactorPending) {
      context.locals.secondFactorSessionId = valid.sessionId;
    } else if (valid) {
      context.locals.user = valid.user;
      context.locals.sessionId = valid.sessionId;
    } else {
      const blank = sessions.blankCookie(context.locals.listener);
      context.cookies.set(blank.name, blank.value, blank.attributes);
    }
  }
  const user = context.locals.user;
  let guard: Response | undefined;
  if (pathname === '/admin' || pathname.startsWith('/admin/')) {
    if (!user) guard = context.redirect(`/login?next=${encodeURIComponent(pathname + context.url.search)}`);
    else if (user.mustChangePassword && pathname !== '/admin/password') guard = context.redirect('/admin/password');
    // An account that must have a second factor does nothing else until it has one.
    else if (user.mustEnrolSecondFactor && pathname !== SECOND_FACTOR_PAGE && pathname !== '/admin/password') guard = context.redirect(SECOND_FACTOR_PAGE);
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
  const finished = await finishPublicResponse(context.request, response, databaseLastModified(getDb()));
  // Astro adds the cookies set during the request (?lang=) after the middleware: ask it directly.
  return allowSharedCache(context.request, finished, !context.cookies.headers().next().done);
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

/**
 * Anonymous sign-ups, cancellations, reference look-ups, searches and form posts count against
 * per-address limits shared by every server process (src/lib/limits); over a limit: 429.
 */
const throttle = defineMiddleware(async (context, next) => {
  if (context.locals.user) return next();
  const retryAfter = await consume(context.locals.clientAddress, limitsFor(context.request.method, context.url));
  if (retryAfter === undefined) return next();
  return new Response(context.locals.t('error.tooManyRequests', { minutes: Math.ceil(retryAfter / 60) }), {
    status: 429,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': CACHE_CONTROL.noStore, 'Retry-After': String(retryAfter) },
  });
});

export const onRequest = sequence(locale, listener, sameOrigin, session, throttle);
