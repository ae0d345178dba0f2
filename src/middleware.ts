import { defineMiddleware } from 'astro:middleware';
import { LOCALE_COOKIE, isLocale, pickLocale, translator } from './i18n/index.ts';

const ONE_YEAR = 60 * 60 * 24 * 365;

export const onRequest = defineMiddleware(async (context, next) => {
  const query = context.url.searchParams.get('lang');
  const locale = pickLocale(query, context.cookies.get(LOCALE_COOKIE)?.value);
  if (isLocale(query)) {
    context.cookies.set(LOCALE_COOKIE, query, { path: '/', maxAge: ONE_YEAR, sameSite: 'lax' });
  }
  context.locals.locale = locale;
  context.locals.t = translator(locale);
  return next();
});
