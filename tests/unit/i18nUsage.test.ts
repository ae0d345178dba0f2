import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/lib/db/index.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

/*
 * Catalogue keys against the code that uses them. A key is used when the code quotes it whole
 * ('search.title'), or when the code builds keys from a quoted prefix (`role.${role}`): every key
 * under such a prefix counts as used. The prefixes are read from the code itself, so a new
 * dynamic family needs no list here, and one that disappears stops covering its keys. (Some such
 * templates build audit action names, not keys: they cover no key, so they do no harm here.)
 */

const root = projectRoot();
const code = ['src', 'scripts']
  .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) => join(dir, file)))
  .filter((file) => /\.(ts|mts|astro)$/.test(file) && !file.startsWith(join('src', 'i18n', 'messages')))
  .map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));

const KEY = String.raw`[a-zA-Z][\w-]*(?:\.[\w-]+)+`;
const quoted = new Set(code.flatMap(({ text }) => [...text.matchAll(new RegExp(`['"\`](${KEY})['"\`]`, 'g'))].map((m) => m[1]!)));
const prefixes = [...new Set(code.flatMap(({ text }) => [...text.matchAll(/`([a-zA-Z][\w-]*(?:\.[\w-]+)*\.)\$\{/g)].map((m) => m[1]!)))];
const keys = Object.keys(zhCN);

describe('message keys in the code', () => {
  it('finds the code and its dynamic key families (the scan itself works)', () => {
    expect(code.some(({ file }) => file.endsWith('.astro'))).toBe(true);
    expect(quoted).toContain('error.notFound');
    expect(prefixes).toContain('role.');
  });

  it('leave no catalogue key unused', () => {
    const unused = keys.filter((key) => !quoted.has(key) && !prefixes.some((prefix) => key.startsWith(prefix)));
    expect(unused).toEqual([]);
  });

  it('use only keys the catalogue has, in t() and UserError', () => {
    const catalogue = new Set(keys);
    const missing = code.flatMap(({ file, text }) =>
      [...text.matchAll(new RegExp(String.raw`(?:\bt|UserError)\(\s*['"](${KEY})['"]`, 'g'))]
        .map((m) => m[1]!)
        .filter((key) => !catalogue.has(key))
        .map((key) => `${key} in ${file}`),
    );
    expect(missing).toEqual([]);
  });
});
