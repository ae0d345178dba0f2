import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/markdown/index.ts';

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
});
