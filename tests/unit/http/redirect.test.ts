import { describe, expect, it } from 'vitest';
import { safeNextPath, withQuery } from '../../../src/lib/validation/redirect.ts';

/** Where the sign-in page lives: a Location header is resolved against the request's address. */
const PAGE = 'https://portal.example/login?next=x';

/** What a browser does with a Location header: resolve it against the page that answered. */
const followed = (location: string) => new URL(location, PAGE);

/**
 * Redirect targets an attacker would try: dot segments that collapse to `//host`, percent-encoded
 * dots and slashes, backslashes, control characters, schemes. Whatever safeNextPath returns is
 * judged as a browser would follow it, not by how the input looked.
 */
const HOSTILE = [
  '/.//evil.example/x',
  '/..//evil.example/x',
  '/admin/../..//evil.example/x',
  '/admin/..//evil.example/x',
  '/./..//evil.example',
  '/x/.././/evil.example',
  '/%2e//evil.example/x',
  '/%2E%2E//evil.example/x',
  '/%2e%2e/%2e%2e//evil.example',
  '/admin/%2e%2e/%2e%2e//evil.example/x',
  '/.%2e//evil.example',
  '/./%2e//evil.example',
  '//evil.example/x',
  '///evil.example/x',
  '/\\evil.example/x',
  '/.\\/evil.example',
  '/\t/evil.example/',
  '/\r\n/evil.example',
  '/.\t//evil.example',
  '\\\\evil.example',
  'https://evil.example/',
  'http:evil.example',
  '//evil.example@portal.example',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '/.//evil.example?next=/admin#x',
  '/..//%65vil.example',
  '/%2e%2e%2f%2fevil.example',
];

describe('safeNextPath', () => {
  it.each(HOSTILE)('%j never leads off the site', (input) => {
    const result = safeNextPath(input);
    const target = followed(result);
    expect(target.origin).toBe('https://portal.example');
    // A Location header must not start a host name, whatever a browser makes of it.
    expect(result).toMatch(/^\/(?![/\\])/);
    expect(result).not.toMatch(/[\u0000-\u001f\u007f\\]/);
  });

  it('sends the dot-segment tricks to the fallback rather than to a cleaned-up path', () => {
    for (const input of ['/.//evil.example/x', '/..//evil.example/x', '/admin/../..//evil.example/x', '/%2e%2e//evil.example/x']) {
      expect(safeNextPath(input)).toBe('/admin');
      expect(safeNextPath(input, '/')).toBe('/');
    }
  });

  it.each([
    ['/admin/listings?x=1', '/admin/listings?x=1'],
    ['/a/../admin', '/admin'],
    ['/admin/./users', '/admin/users'],
    ['/search?q=梨#top', '/search?q=%E6%A2%A8#top'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/admin?next=//evil.example', '/admin?next=//evil.example'],
  ])('keeps the same-site path %j as %j', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
    expect(followed(expected).origin).toBe('https://portal.example');
  });
});

describe('withQuery', () => {
  it('percent-encodes every value, so none can split a header or add a parameter', () => {
    const location = withQuery('/admin/library', { deleted: 1, at: '411402001\r\nSet-Cookie: x=1&admin=1' });
    expect(location).not.toMatch(/[\r\n]/);
    expect([...new URL(location, PAGE).searchParams]).toEqual([
      ['deleted', '1'],
      ['at', '411402001\r\nSet-Cookie: x=1&admin=1'],
    ]);
    // A Headers object refuses a raw CR/LF; the built address goes through.
    expect(() => new Headers({ Location: location })).not.toThrow();
  });

  it('leaves the path alone when there is nothing to add', () => {
    expect(withQuery('/admin/library', {})).toBe('/admin/library');
  });
});
