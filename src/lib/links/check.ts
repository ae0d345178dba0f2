import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What became of one link: it answered well (redirects followed), answered with an error, or not at all. */
export type LinkVerdict = 'ok' | 'broken' | 'unreachable';

export interface LinkStatus {
  url: string;
  verdict: LinkVerdict;
  /** The final HTTP status, 0 when there was none (timeout, refused, unknown host). */
  status: number;
}

export interface CheckOptions {
  timeoutMs: number;
  /** Links checked at once. */
  concurrency?: number;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A linkinator result → our verdict: a status of 0 means no answer at all. */
export function verdictOf(state: string, status: number | undefined): LinkVerdict {
  if (state === 'OK') return 'ok';
  return status ? 'broken' : 'unreachable';
}

/**
 * Checks each address once with linkinator (HEAD, then GET when a server refuses HEAD; redirects
 * followed to their end). The addresses are handed to it as the links of one local page, so it
 * checks exactly these and follows none of the links on the pages they lead to.
 */
export async function checkLinks(urls: readonly string[], options: CheckOptions): Promise<LinkStatus[]> {
  const wanted = new Set(urls);
  if (wanted.size === 0) return [];
  // Loaded on the first check only: linkinator and its HTTP client would otherwise sit in the
  // memory of every server process all day for a job that runs once.
  const { LinkChecker } = await import('linkinator');
  const dir = mkdtempSync(join(tmpdir(), 'xiangxin-links-'));
  try {
    const page = join(dir, 'links.html');
    writeFileSync(page, `<!doctype html><meta charset="utf-8"><title>links</title>${[...wanted].map((u) => `<a href="${escapeAttr(u)}">.</a>`).join('\n')}`);
    const result = await new LinkChecker().check({
      path: page,
      recurse: false,
      timeout: options.timeoutMs,
      concurrency: options.concurrency ?? 8,
    });
    const found = new Map<string, LinkStatus>();
    for (const link of result.links) {
      if (!wanted.has(link.url) || String(link.state) === 'SKIPPED') continue;
      found.set(link.url, { url: link.url, verdict: verdictOf(link.state, link.status), status: link.status ?? 0 });
    }
    // An address linkinator could not even parse is as good as unreachable.
    return [...wanted].map((url) => found.get(url) ?? { url, verdict: 'unreachable', status: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
