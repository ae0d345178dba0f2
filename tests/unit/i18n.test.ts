import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/lib/db/index.ts';
import { pickLocale, translator } from '../../src/i18n/index.ts';
import { en } from '../../src/i18n/messages/en.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

describe('message catalogues', () => {
  it('have the same keys and no empty messages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const text of [...Object.values(en), ...Object.values(zhCN)]) expect(text.trim()).not.toBe('');
  });

  it('keep the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) expect(names(en[key])).toEqual(names(zhCN[key]));
  });

  it('define each key in one domain file only (a second definition would silently win)', () => {
    const dir = join(projectRoot(), 'src', 'i18n', 'messages', 'zh-CN');
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const file of readdirSync(dir)) {
      for (const [, key] of readFileSync(join(dir, file), 'utf8').matchAll(/^\s*'([^']+)':/gm)) {
        if (seen.has(key!)) clashes.push(`${key} in ${seen.get(key!)} and ${file}`);
        seen.set(key!, file);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('fills placeholders', () => {
    expect(translator('zh-CN')('region.childCount', { count: 3 })).toBe('共 3 个');
    expect(translator('en')('region.childCount', { count: 3 })).toBe('3 in total');
  });

  it('prefers the query, then the cookie, then Chinese', () => {
    expect(pickLocale('en', 'zh-CN')).toBe('en');
    expect(pickLocale(null, 'en')).toBe('en');
    expect(pickLocale('fr', 'xx')).toBe('zh-CN');
    expect(pickLocale(null, undefined)).toBe('zh-CN');
  });
});
