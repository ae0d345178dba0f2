import { describe, expect, it } from 'vitest';
import { markdownImageSources, renderMarkdown } from '../../src/lib/markdown/index.ts';

/** Content addresses as the media store makes them (sha256 in hex). */
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('renderMarkdown', () => {
  it('escapes raw HTML', () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;');
  });

  it('refuses javascript: links and marks other links nofollow', () => {
    expect(renderMarkdown('[x](javascript:alert(1))')).not.toContain('href="javascript');
    expect(renderMarkdown('[站点](https://example.org)')).toContain('rel="nofollow ugc noopener"');
  });

  it('shows images only from our media store', () => {
    expect(renderMarkdown(`![梨](/media/${A}/800.webp)`)).toContain(`<img src="/media/${A}/800.webp"`);
    const foreign = renderMarkdown('![track](https://evil.example/p.gif)');
    expect(foreign).not.toContain('<img');
    expect(foreign).toContain('track');
  });

  it('loads images lazily and gives them their size when it is known', () => {
    const src = `/media/${A}/800.webp`;
    const sized = renderMarkdown(`![梨](${src}) ![桃](/media/${B}/320.webp)`, new Map([[src, { width: 800, height: 600 }]]));
    expect(sized).toContain(`<img src="${src}" alt="梨" width="800" height="600" loading="lazy" decoding="async">`);
    expect(sized).toContain(`<img src="/media/${B}/320.webp" alt="桃" loading="lazy" decoding="async">`);
  });

  it('aligns table columns with classes, never a style attribute', () => {
    const html = renderMarkdown('| 品种 | 价格 |\n|:-:|--:|\n| 梨 | 3.5 |');
    expect(html).not.toContain('style=');
    expect(html).toContain('<th class="align-center">品种</th>');
    expect(html).toContain('<td class="align-right">3.5</td>');
  });

  it('lists the images of our media store a text shows, once each', () => {
    expect(
      markdownImageSources(`![a](/media/${A}/320.webp)\n\n- ![b](/media/${B}/1600.webp) ![a](/media/${A}/320.webp) ![c](https://evil.example/c.png) ![d](/media/../admin/users)`),
    ).toEqual([`/media/${A}/320.webp`, `/media/${B}/1600.webp`]);
  });

  it.each([
    '/media/../admin/users',
    '/media/%2e%2e/admin/users',
    '/media/./../admin',
    `/media/${A}/../../admin/users`,
    '/media/anything.png',
    // The inline route for library originals is gone: library images are shown as variants too.
    `/media/${A}.png`,
    `/media/${A}/999.webp`,
    `/media/${A}/800.webp?x=1`,
    `/media/${A.toUpperCase()}.png`,
    `/media/${A}.pdf`,
    `/media/${A}.png/`,
    `//evil.example/media/${A}.png`,
    `https://evil.example/media/${A}.png`,
    'data:image/png;base64,iVBORw0KGgo=',
  ])('shows no image for %j, only its text', (src) => {
    const html = renderMarkdown(`![说明](${src})`);
    expect(html).not.toContain('<img');
    expect(html).toContain('说明');
    expect(markdownImageSources(`![说明](${src})`)).toEqual([]);
  });

  it.each([
    'data:image/png;base64,iVBORw0KGgo=',
    'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
    'DATA:image/webp;base64,UklGRg==',
    ' data:text/html,x',
    'data:,x',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'vbscript:msgbox(1)',
    'intent://evil',
  ])('makes no link of %j', (href) => {
    const html = renderMarkdown(`[点击](${href}) <${href}>`);
    expect(html).not.toMatch(/href="(?!#)/);
  });

  it('keeps links to web pages, mail, phones and this site', () => {
    for (const href of ['https://example.org/a', 'http://example.org/', 'mailto:zhan@example.org', 'tel:0370-1234567', '/articles/14', 'articles?kind=notice', '#top']) {
      expect(renderMarkdown(`[点击](${href})`)).toContain(`href="${href}"`);
    }
  });
});
