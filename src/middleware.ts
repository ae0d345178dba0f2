import { defineMiddleware, sequence } from 'astro:middleware';
import { LOCALE_COOKIE, isLocale, pickLocale, translator } from './i18n/index.ts';
import { auth } from './lib/auth/session.ts';
import { getDb } from './lib/db/index.ts';
import { clientAddressOf } from './lib/http/client.ts';

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
  if (pathname === '/admin' || pathname.startsWith('/admin/')) {
    if (!user) return context.redirect(`/login?next=${encodeURIComponent(pathname + context.url.search)}`);
    if (user.mustChangePassword && pathname !== '/admin/password') return context.redirect('/admin/password');
  }
  const response = await next();
  if (isPrivate(pathname)) response.headers.set('Cache-Control', 'no-store');
  return response;
});

export const onRequest = sequence(locale, session);
