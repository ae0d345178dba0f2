import { describe, expect, it } from 'vitest';
import { markdownText } from '../../../src/lib/articles/text.ts';
import { renderMarkdown } from '../../../src/lib/markdown/index.ts';

/** Attacks an author (or a stolen author account) might type into an article. */
export const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '![x](javascript:alert(1))',
  '![x](https://evil.example/track.png)',
  '![x](/media/../admin)',
  '![x](/media/../admin/users)',
  '![x](/media/%2e%2e/admin/users)',
  '![x](/media/anything)',
  '![x](data:image/png;base64,iVBORw0KGgo=)',
  '[x](data:image/png;base64,iVBORw0KGgo=)',
  '<data:image/png;base64,iVBORw0KGgo=>',
  '[x](file:///etc/passwd)',
  '<a href="javascript:alert(1)">x</a>',
  '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '<style>body{display:none}</style>',
  '<object data="x.swf"></object>',
  '`<script>alert(1)</script>`',
  '<div style="background:url(javascript:alert(1))">x</div>',
];

describe('article Markdown against an XSS corpus', () => {
  for (const attack of XSS_CORPUS) {
    it(`renders ${JSON.stringify(attack)} harmlessly`, () => {
      const html = renderMarkdown(attack);
      expect(html).not.toMatch(/<(script|iframe|svg|object|style|div)\b/i);
      // Attribute values are quoted and escaped; an event handler would be an attribute of its own.
      expect(html.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]+\son\w+\s*=/i);
      expect(html).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|vbscript|data):/i);
      // Only content addresses of the media store: a variant or a library image.
      expect(html).not.toMatch(/<img[^>]+src="(?!\/media\/[0-9a-f]{64}(?:\/\d+\.webp|\.(?:png|jpg|webp))")/i);
    });
  }

  it('keeps ordinary formatting, safe links and our own images', () => {
    const image = `/media/${'ab12'.repeat(16)}/800.webp`;
    const html = renderMarkdown(`**小麦** [农技站](https://example.com) ![图](${image})`);
    expect(html).toContain('<strong>小麦</strong>');
    expect(html).toContain('<a href="https://example.com" rel="nofollow ugc noopener">农技站</a>');
    expect(html).toContain(`<img src="${image}" alt="图" loading="lazy" decoding="async">`);
  });

  it('turns Markdown into plain text for the index and summaries', () => {
    expect(markdownText('## 防治\n\n- **见花打药** & 补喷 <b>x</b>')).toBe('防治 见花打药 & 补喷 <b>x</b>');
  });
});
