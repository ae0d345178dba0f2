import { describe, expect } from 'vitest';
import { serverTest, type TestServer } from '../helpers/serverTest.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const it = serverTest();

describe('public routes on a freshly started server', () => {
  let server: TestServer;

  it.beforeAll(async ({ server: started }) => {
    server = started;
  });

  const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init });

  it('reports health', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('ok');
  });

  it.each([
    ['/', '商丘市农村信息服务门户'],
    ['/county/411402', '梁园区'],
    ['/township/411402001', '平原街道'],
    ['/village/411402001001', '新区社区居委会'],
  ])('serves %s', async (path, text) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(text);
    expect(html).toContain('<html lang="zh-CN">');
  });

  it.each(['/village/411402001999', '/village/411402001', '/township/41140200100', '/county/abcdef', '/city/4114', '/nowhere', '/village/%E4%B8%AD'])(
    'answers 404 with a localized page for %s',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain(zhCN['notFound.title']);
    },
  );

  it('switches language by query and remembers it in a cookie', async () => {
    const res = await get('/county/411402?lang=en');
    expect(res.headers.get('set-cookie')).toMatch(/lang=en/);
    expect(await res.text()).toContain('<html lang="en">');
    const again = await get('/nowhere', { headers: { cookie: 'lang=en' } });
    expect(await again.text()).toContain('Page not found');
  });

  it('lists every village of a township with breadcrumbs up to the city', async () => {
    const html = await (await get('/township/411402001')).text();
    expect(html).toMatch(/<a href="\/village\/411402001001"/);
    expect(html).toMatch(/<li><a href="\/">商丘市<\/a><\/li><li><a href="\/county\/411402">梁园区<\/a><\/li><li aria-current="page">平原街道<\/li>/);
  });
});
