import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { translator } from '../../i18n/index.ts';
import type { Listener } from '../site.ts';
import { limitBody } from './bodyLimits.ts';
import { CACHE_CONTROL, SECURITY_HEADERS } from './headers.ts';
import { markListener } from './listeners.ts';
import { RecordingResponse, type PageCache } from './pageCache.ts';
import { requestLocale } from './requestLocale.ts';
import { loadStaticFiles, serveStatic } from './staticFiles.ts';

/** The built application's request handler (the Node adapter's `handler` export, in middleware mode). */
export type AppHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Whether `url`'s %-escapes decode. (It returns the result: the bundler drops a call to decodeURI whose result goes unused.) */
function decodable(url: string | undefined): boolean {
  try {
    return decodeURI(url ?? '/') !== undefined;
  } catch {
    return false;
  }
}

/** An address with a broken %-escape names nothing: 400, in the reader's language (its query cannot be read either). */
function refuseMalformed(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': CACHE_CONTROL.noStore });
  res.end(translator(requestLocale(req, null))('error.badAddress'));
}

/**
 * The portal's HTTP server. It owns what the adapter's own server cannot do: the security headers
 * on every response (set first, so pages, endpoints, files and the adapter's own errors all carry
 * them; a response's own headers still win), the build's static files with their cache policy
 * and compression, the per-route limit on request bodies (before the application reads one), and,
 * when given one, the cache of whole public pages, and an observer that sees every other request
 * (the usage counter). Everything else goes to the application, told which `listener` this
 * server is (the admin listener of ADMIN_LISTEN serves other routes than the public one).
 */
export function createPortalServer(
  app: AppHandler,
  clientDir: string,
  pages?: PageCache,
  observe?: (req: IncomingMessage, res: ServerResponse) => void,
  listener: Listener = 'public',
): Server<typeof IncomingMessage, typeof RecordingResponse> {
  const files = loadStaticFiles(clientDir);
  return createServer({ ServerResponse: RecordingResponse }, (req, res) => {
    markListener(req, listener);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!decodable(req.url)) return refuseMalformed(req, res);
    if (serveStatic(files, req, res)) return;
    // Here rather than in the application, so pages answered from the cache are counted too.
    observe?.(req, res);
    limitBody(req, res, () => {
      if (pages) pages.handle(req, res, () => app(req, res));
      else app(req, res);
    });
  });
}
