import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { UNREACHABLE_RATE_LIMITS } from '../../../src/lib/limits/config.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { PASSWORD } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { buildCorpus, type Fields, type FileSpec, type HostileCase } from './corpus.ts';
import { makeTargets, username, WHO, type Who } from './fixtures.ts';
import { hostileFiles, invalidUtf8Form, invalidUtf8Multipart, XSS, type HostileFiles } from './payloads.ts';

const MIN_CASES = 200;
const FOREIGN_ORIGIN = 'https://evil.example';

/**
 * Tables that record attempts rather than content: a refused request may write to these. The job
 * lease is renewed by the server on its own clock, whatever the requests.
 */
const BOOKKEEPING = new Set(['sessions', 'login_failures', 'login_locks', 'audit_log', 'seed_runs', 'hostile_changes', 'job_leases']);
/** Of those, the ones that keep what was typed (a refused user name, a region code): shown to staff as text. */
const ATTEMPT_RECORDS = new Set(['audit_log', 'login_failures', 'login_locks']);
/** Crafted files that are text, so an accepted case can mark its payloads in them too. */
const TEXT_FILES = new Set<keyof HostileFiles>(['validCsv', 'xssCsv']);

type RunCase = HostileCase & { marker?: string };
const marked = (text: string, marker: string) => text.replace(/XSS/g, marker);

/**
 * An accepted case gets its own marker in place of `XSS`: whatever markup the database holds must
 * carry one, so a stored copy of a refused payload cannot pass for an accepted one.
 */
function markAccepted(c: HostileCase, index: number): RunCase {
  if (!c.accept) return c;
  const marker = `XSS-ok${index}`;
  return { ...(JSON.parse(marked(JSON.stringify(c), marker)) as HostileCase), marker };
}

/**
 * Markup that would run if a page contained it: a script, an event handler, a frame. Looked for
 * outside quoted attribute values (where `<` is only text); a value that broke out of its quotes
 * would show up here as markup of its own.
 */
const LIVE_MARKUP = [/<script\b[^>]*>[^<]*XSS/i, /<[a-z]+\b[^<>]*\son[a-z]+\s*=/i, /<iframe\b/i];
/** A script address in a link or a frame: looked for in the attribute values themselves. */
const SCRIPT_URL = /\b(?:href|src|action|formaction|srcdoc)\s*=\s*["']?\s*(?:javascript|vbscript|data):/i;
/** An image whose address climbs out of the media store: the reader's browser would request that page. */
const CLIMBING_IMAGE = /<img\b[^>]*\ssrc\s*=\s*["']?[^"'\s>]*\/(?:\.|%2e){2}(?:\/|%2f)/i;

/** Text a person can read that explains a refusal: the catalogue's error messages, with any parameters. */
const REFUSALS = Object.entries(zhCN)
  .filter(([key]) =>
    /^(validation|error|media|notFound)\.|\.error\.|^reports\.(not|already|attachment|tooMany|noLevel)|^listings\.(not|archived)|^login\.(invalid|locked|throttled)$|^search\.(tooLong|noTerms)$|^training\.roster\.noneSelected$|^articles\.(personal|review)\./.test(
      key,
    ),
  )
  .map(
    ([, text]) =>
      new RegExp(
        text
          .split(/\{\w+\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^]*?'),
      ),
  );

const unescapeHtml = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(?:39|x27);/gi, "'")
    .replace(/&amp;/g, '&');

function liveMarkup(body: string): string | undefined {
  const outsideValues = body.replace(/="[^"]*"/g, '=""');
  return [...LIVE_MARKUP.map((re) => re.exec(outsideValues)?.[0]), SCRIPT_URL.exec(body)?.[0], CLIMBING_IMAGE.exec(body)?.[0]].find(Boolean);
}

function pairs(fields: Fields, fill: (s: string) => string): [string, string][] {
  return (Array.isArray(fields) ? fields : Object.entries(fields)).map(([k, v]) => [k, fill(v)]);
}

/** Every file below `dir` (none before it exists). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A request whose Content-Length says more than it sends: the server must refuse it from the header alone. */
function declaredLengthStatus(base: string, path: string, length: number, cookie: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${base}\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${length}\r\n\r\n--x\r\n`,
      );
    });
    let head = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

// Reference look-ups are limited to a few, so that the corpus can run into the limit (see corpus.ts).
const it = serverTest({ RATE_LIMITS: `${UNREACHABLE_RATE_LIMITS},ref=5/3600` });

describe('the hostile-input corpus', () => {
  const corpus = buildCorpus().map(markAccepted);
  const clients = {} as Record<Who, FormClient>;
  let server: TestServer;
  let db: Db;
  let targets: Record<string, string>;
  let files: HostileFiles;

  const fill = (text: string, extra: Record<string, string> = {}) => text.replace(/\{(\w+)\}/g, (whole, name: string) => extra[name] ?? targets[name] ?? whole);
  const changes = () => (db.prepare('SELECT count(*) AS n FROM hostile_changes').get() as { n: number }).n;
  const changedTables = (since: number) => (db.prepare('SELECT DISTINCT tbl FROM hostile_changes WHERE rowid > ?').all(since) as { tbl: string }[]).map((r) => r.tbl).join(', ');

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    targets = await makeTargets(db);
    for (const who of WHO) {
      clients[who] = new FormClient(server.url);
      if (who !== 'anonymous') expect((await clients[who].signIn(username(who), PASSWORD)).status).toBe(303);
    }
    // Every write to a content table, by the server's own connection, leaves a row here.
    db.exec('CREATE TABLE hostile_changes (tbl TEXT NOT NULL)');
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%'").all() as { name: string }[];
    for (const { name } of tables.filter((t) => !BOOKKEEPING.has(t.name))) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TRIGGER hostile_${name}_${op.toLowerCase()} AFTER ${op} ON ${name} BEGIN INSERT INTO hostile_changes (tbl) VALUES ('${name}'); END`);
      }
    }
    files = await hostileFiles();
  });

  function fileBytes(f: FileSpec, c: RunCase): Buffer {
    if (typeof f.data === 'number') return Buffer.alloc(f.data, 0x41);
    const data = files[f.data];
    return c.marker && TEXT_FILES.has(f.data) ? Buffer.from(marked(data.toString(), c.marker)) : data;
  }

  function requestFor(c: RunCase): RequestInit {
    const headers = new Headers();
    if (c.origin !== 'absent') headers.set('origin', c.origin === 'foreign' ? FOREIGN_ORIGIN : server.url);
    const method = c.method ?? 'POST';
    if (method === 'GET') return { method, headers };
    if (c.raw) {
      headers.set('content-type', c.raw.contentType);
      return { method, headers, body: c.raw.text };
    }
    if (c.multipart) {
      const fields = pairs(c.multipart.fields, fill);
      if (c.invalidUtf8) {
        const { body, contentType } = invalidUtf8Multipart(Object.fromEntries(fields), c.invalidUtf8);
        headers.set('content-type', contentType);
        return { method, headers, body: new Uint8Array(body) };
      }
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      for (const f of c.multipart.files ?? []) form.append(f.field, new Blob([new Uint8Array(fileBytes(f, c))], { type: f.type }), fill(f.name));
      return { method, headers, body: form };
    }
    const fields = pairs(c.form ?? {}, fill);
    headers.set('content-type', 'application/x-www-form-urlencoded');
    const body = c.invalidUtf8 ? new Uint8Array(invalidUtf8Form(Object.fromEntries(fields), c.invalidUtf8)) : new URLSearchParams(fields).toString();
    return { method, headers, body };
  }

  /** Runs one case; returns what was wrong with the answer, or nothing. */
  async function run(c: RunCase): Promise<string | undefined> {
    const client = clients[c.as];
    const path = fill(c.path);
    const before = { rows: changes(), media: filesUnder(server.mediaDir).length };
    if (c.declaredLength) {
      const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const status = await declaredLengthStatus(server.url, path, c.declaredLength, cookie);
      return status === c.status ? undefined : `status ${status}, expected ${c.status}`;
    }
    let res = await client.request(path, requestFor(c));
    // Astro answers some odd addresses with a 301 to a cleaner one first; a browser follows it.
    for (let hops = 0; (c.method ?? 'POST') === 'GET' && res.status === 301 && hops < 3; hops++) {
      res = await client.request(new URL(res.headers.get('location')!, server.url).pathname);
    }
    const body = await res.text();
    const type = res.headers.get('content-type') ?? '';
    if (res.status >= 500) return `server error ${res.status}: ${body.slice(0, 300)}`;
    if (type.includes('html')) {
      const live = liveMarkup(body);
      if (live) return `live markup in the answer: ${live}`;
    }
    const location = res.headers.get('location') ?? '';

    if (c.accept) {
      const expected = c.accept.status ?? 303;
      if (res.status !== expected) return `status ${res.status}, expected ${expected} (${location || body.slice(0, 200)})`;
      let shown = body;
      if (c.accept.render) {
        const id = /\/(\d+)(?:[/?#]|$)/.exec(location)?.[1] ?? '';
        const page = await clients[c.accept.render.as].get(fill(c.accept.render.path, { location, id }));
        shown = await page.text();
        if (page.status !== 200) return `rendering page answered ${page.status}`;
        const live = liveMarkup(shown);
        if (live) return `live markup on the rendering page: ${live}`;
      }
      if (c.accept.contains && !unescapeHtml(shown).includes(c.accept.contains)) return `the page does not show ${JSON.stringify(c.accept.contains)} as text`;
      return undefined;
    }

    const stored =
      changes() !== before.rows ? `it changed ${changedTables(before.rows)}` : filesUnder(server.mediaDir).length !== before.media ? 'it wrote media files' : undefined;
    if (c.redirect) {
      if (res.status !== 302 && res.status !== 303) return `status ${res.status}, expected a redirect to ${c.redirect}`;
      if (!location.startsWith(c.redirect) || (c.redirect === '/' && location !== '/')) return `redirected to ${location}, expected ${c.redirect}`;
      return c.redirect === '/login' ? stored : undefined;
    }
    if (res.status < 400 || res.status > 499) return `status ${res.status}, expected a 4xx (${location || body.slice(0, 200)})`;
    if (c.status && res.status !== c.status) return `status ${res.status}, expected ${c.status}`;
    if (stored) return `refused with ${res.status} but ${stored}`;
    const text = type.includes('json') ? String((JSON.parse(body) as { error?: { message?: string } }).error?.message ?? '') : unescapeHtml(body);
    const explained = REFUSALS;
    if (!explained.some((message) => message.test(text))) return `no localized message in the ${res.status} answer: ${body.slice(0, 200)}`;
    return undefined;
  }

  it(`has at least ${MIN_CASES} cases, each named once, covering every family`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(MIN_CASES);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
    const families = new Set(corpus.map((c) => c.family));
    for (const family of [
      'xss',
      'sql',
      'overlong',
      'blank',
      'utf8',
      'type',
      'date',
      'region',
      'forged',
      'duplicate',
      'csrf',
      'contentType',
      'bomb',
      'polyglot',
      'oversize',
      'path',
      'query',
    ]) {
      expect(families, family).toContain(family);
    }
  });

  it('answers every case with a clear refusal (or, for harmless text, shows it escaped) and stores nothing it refused', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    for (const c of corpus) {
      const problem = await run(c);
      if (problem) failures.push(`${c.name}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it('leaves no markup in any text column except what was accepted and seen escaped', () => {
    // The change log saw the accepted cases' writes, so it would have seen a refused case's.
    expect(changes()).toBeGreaterThan(0);
    const found: string[] = [];
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'").all() as { name: string }[];
    for (const { name } of tables.filter((t) => !ATTEMPT_RECORDS.has(t.name))) {
      const columns = (db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(name) as { name: string; type: string }[]).filter((c) => /TEXT|^$/i.test(c.type));
      for (const column of columns) {
        const rows = db
          .prepare(
            `SELECT "${column.name}" AS v FROM "${name}" WHERE "${column.name}" LIKE '%<script%' OR "${column.name}" LIKE '%onerror=%' OR "${column.name}" LIKE '%javascript:%'`,
          )
          .all() as { v: string }[];
        for (const { v } of rows) if (!/XSS-ok\d/.test(v)) found.push(`${name}.${column.name}: ${v.slice(0, 120)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('serves only re-encoded photos: a polyglot keeps its HTML in the never-served original', () => {
    const contents = (dir: string) => filesUnder(dir).map((file) => readFileSync(file));
    expect(contents(join(server.mediaDir, 'originals')).some((data) => data.includes('<script>'))).toBe(true);
    for (const data of contents(join(server.mediaDir, 'variants'))) {
      expect(data.subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect(data.includes('<script>')).toBe(false);
    }
  });

  it('shows refused attempts in the audit log as text only', async () => {
    const page = await clients.admin.get(`/admin/audit?user=${encodeURIComponent(XSS.script)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(liveMarkup(html)).toBeUndefined();
    expect(unescapeHtml(html)).toContain(`<td>${XSS.script}</td>`);
  });

  it('keeps the database intact', () => {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
