import type { IncomingMessage } from 'node:http';
import { LOCALE_COOKIE, pickLocale, type Locale } from '../../i18n/index.ts';

const COOKIE = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]*)`);

/** The reader's language for an answer the server gives before the application (and its middleware) runs. */
export function requestLocale(req: IncomingMessage, query: string | null): Locale {
  return pickLocale(query, COOKIE.exec(req.headers.cookie ?? '')?.[1]);
}
