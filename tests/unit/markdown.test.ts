import { describe, expect, it } from 'vitest';
import { markdownImageSources, renderMarkdown } from '../../src/lib/markdown/index.ts';

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
    expect(renderMarkdown('![梨](/media/abc/800.webp)')).toContain('<img src="/media/abc/800.webp"');
    const foreign = renderMarkdown('![track](https://evil.example/p.gif)');
    expect(foreign).not.toContain('<img');
    expect(foreign).toContain('track');
  });

  it('loads images lazily and gives them their size when it is known', () => {
    const src = '/media/abc/800.webp';
    const sized = renderMarkdown(`![梨](${src}) ![桃](/media/def.png)`, new Map([[src, { width: 800, height: 600 }]]));
    expect(sized).toContain('<img src="/media/abc/800.webp" alt="梨" width="800" height="600" loading="lazy" decoding="async">');
    expect(sized).toContain('<img src="/media/def.png" alt="桃" loading="lazy" decoding="async">');
  });

  it('aligns table columns with classes, never a style attribute', () => {
    const html = renderMarkdown('| 品种 | 价格 |\n|:-:|--:|\n| 梨 | 3.5 |');
    expect(html).not.toContain('style=');
    expect(html).toContain('<th class="align-center">品种</th>');
    expect(html).toContain('<td class="align-right">3.5</td>');
  });

  it('lists the images of our media store a text shows, once each', () => {
    expect(markdownImageSources('![a](/media/x/320.webp)\n\n- ![b](/media/y.png) ![a](/media/x/320.webp) ![c](https://evil.example/c.png)')).toEqual([
      '/media/x/320.webp',
      '/media/y.png',
    ]);
  });
});
