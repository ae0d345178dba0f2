import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { checkLinks } from '../../../src/lib/links/check.ts';
import { brokenLinks, checkLinksDaily, lastLinkCheck, runLinkCheck } from '../../../src/lib/links/index.ts';
import { contentLinks } from '../../../src/lib/links/sources.ts';
import { markdownWebLinks } from '../../../src/lib/markdown/index.ts';
import { R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const TIMEOUT_MS = 400;

/** `npm run links:check` as an operator runs it; not spawnSync, which would stop this process's test site from answering. */
function linksCheck(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [join(projectRoot(), 'scripts', 'linksCheck.ts'), ...args], { cwd: projectRoot(), env: { ...process.env, ...env } });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout })));
}

/** A site on 127.0.0.1 with every kind of link: good, missing, moved (to good and to missing), never answering, refusing HEAD. */
function startSite(): Promise<{ server: Server; base: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === '/good') return res.end('<p>ok</p>');
    if (req.url === '/moved') return res.writeHead(301, { Location: '/good' }).end();
    if (req.url === '/moved-away') return res.writeHead(302, { Location: '/gone' }).end();
    if (req.url === '/slow') return; // never answers
    if (req.url === '/no-head') return req.method === 'HEAD' ? res.writeHead(405).end() : res.end('ok');
    // A page full of links of its own, none of which should be followed.
    if (req.url === '/hub') return res.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/deep-1">1</a><a href="/deep-2">2</a>');
    res.writeHead(404).end('missing');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

describe('the link checker', () => {
  const tmp = tempDir();
  let db: Db;
  let site: Awaited<ReturnType<typeof startSite>>;

  beforeAll(async () => {
    site = await startSite();
    db = await seededDb(tmp.file('links.sqlite'));
  });
  afterAll(() => {
    site.server.closeAllConnections();
    site.server.close();
    db.close();
    tmp.cleanup();
  });

  it('finds web links written in Markdown or bare, and nothing else', () => {
    expect(
      markdownWebLinks('见[农业农村部](https://www.moa.gov.cn/)和 http://example.org/a 。\n[站内](/articles/3) [邮件](mailto:a@b.cn) [电话](tel:123) ![图](https://x.cn/a.png)'),
    ).toEqual(['https://www.moa.gov.cn/', 'http://example.org/a']);
  });

  it('classifies good, missing, redirected, timing-out and refused links, checking each once and following none of their links', async () => {
    const urls = ['good', 'missing', 'moved', 'moved-away', 'slow', 'no-head', 'hub'].map((p) => `${site.base}/${p}`);
    const started = Date.now();
    const results = await checkLinks([...urls, 'http://127.0.0.1:1/refused'], { timeoutMs: TIMEOUT_MS });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(results.map((r) => [r.url.replace(site.base, ''), r.verdict, r.status])).toEqual([
      ['/good', 'ok', 200],
      ['/missing', 'broken', 404],
      ['/moved', 'ok', 200],
      ['/moved-away', 'broken', 404],
      ['/slow', 'unreachable', 0],
      ['/no-head', 'ok', 200],
      ['/hub', 'ok', 200],
      ['http://127.0.0.1:1/refused', 'unreachable', 0],
    ]);
    expect(site.requests.some((r) => r.includes('/deep-'))).toBe(false);
  });

  it('stores the broken links of published articles and profiles with where they are, and clears them once fixed', async () => {
    const body = `[好](${site.base}/good) [坏](${site.base}/missing) 慢：${site.base}/slow`;
    const article = db
      .prepare(`INSERT INTO articles (region_code, kind, title, body_md, status, published_at, created_at, updated_at) VALUES (?, 'notice', '通知', ?, 'published', 1, 1, 1)`)
      .run(R.township, body).lastInsertRowid;
    db.prepare(`INSERT INTO articles (region_code, kind, title, body_md, status, created_at, updated_at) VALUES (?, 'notice', '草稿', ?, 'draft', 1, 1)`).run(
      R.township,
      `${site.base}/missing-in-draft`,
    );
    db.prepare('UPDATE regions SET intro_md = ? WHERE code = ?').run(`本村网站：${site.base}/moved-away`, R.village);
    expect(contentLinks(db).map((l) => [l.sourceKind, l.url.replace(site.base, '')])).toEqual([
      ['article', '/good'],
      ['article', '/missing'],
      ['article', '/slow'],
      ['region', '/moved-away'],
    ]);

    await runLinkCheck(db, { timeoutMs: TIMEOUT_MS, now: () => Date.parse('2026-12-02T01:00:00Z') });
    expect(brokenLinks(db, R.county).map((b) => [b.sourceKind, b.sourceId, b.url.replace(site.base, ''), b.status])).toEqual([
      ['article', String(article), '/missing', 404],
      ['article', String(article), '/slow', 0],
      ['region', R.village, '/moved-away', 404],
    ]);
    expect(brokenLinks(db, R.siblingCounty)).toEqual([]);
    expect(lastLinkCheck(db)).toMatchObject({ day: '2026-12-02', checked: 4, broken: 3 });

    db.prepare('UPDATE articles SET body_md = ? WHERE id = ?').run(`[好](${site.base}/good)`, article);
    db.prepare("UPDATE regions SET intro_md = '' WHERE code = ?").run(R.village);
    await runLinkCheck(db, { timeoutMs: TIMEOUT_MS });
    expect(brokenLinks(db, R.city)).toEqual([]);
  });

  it('runs once per China day from the housekeeping rounds', async () => {
    db.prepare("UPDATE link_check_runs SET day = '2026-12-01'").run();
    const requestsBefore = site.requests.length;
    await checkLinksDaily(db, Date.parse('2026-12-02T01:00:00Z'));
    expect(lastLinkCheck(db)?.day).toBe('2026-12-02');
    const requestsAfter = site.requests.length;
    expect(requestsAfter).toBeGreaterThan(requestsBefore);
    await checkLinksDaily(db, Date.parse('2026-12-02T15:00:00Z'));
    expect(site.requests.length).toBe(requestsAfter);
  });

  it('npm run links:check prints the broken links in the operator language and fails only with --strict', async () => {
    db.prepare('UPDATE regions SET intro_md = ? WHERE code = ?').run(`旧网址 ${site.base}/missing`, R.village);
    const env = { DATABASE_PATH: db.name, LINK_CHECK_TIMEOUT_SECONDS: '1', LANG: 'en_US.UTF-8' };
    const plain = await linksCheck([], env);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`✗ 404 ${site.base}/missing — profile of`);
    expect(plain.stdout).toContain(`(edit: /admin/regions/${R.village})`);
    expect(plain.stdout).toMatch(/Checked 2 addresses, 1 not opening/);
    const strict = await linksCheck(['--strict'], { ...env, LANG: 'zh_CN.UTF-8' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/共检查 2 个网址，1 个打不开/);
  });
});
