import { describe, expect, it } from 'vitest';
import { creditCodeCheck, isCreditCode } from '../../../src/lib/directory/creditCode.ts';
import { entitySchema, splitTags } from '../../../src/lib/directory/index.ts';
import { looksGarbled } from '../../../src/lib/directory/import.ts';

/**
 * Published codes, not computed here: the worked example of GB 32100-2015 itself, and the codes on
 * the business licences of well-known companies as printed in their public filings.
 */
const PUBLISHED = [
  '91350100M000100Y43', // GB 32100-2015, Appendix example
  '914403001922038216', // 华为技术有限公司
  '9144030071526726XG', // 深圳市腾讯计算机系统有限公司
  '91110108551385082Q', // 北京小米科技有限责任公司
];

describe('the unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes', () => {
    for (const code of PUBLISHED) expect(isCreditCode(code), code).toBe(true);
  });

  it('computes the published check characters, digits and letters alike', () => {
    expect(PUBLISHED.map((c) => creditCodeCheck(c.slice(0, 17)))).toEqual(['3', '6', 'G', 'Q']);
  });

  it('refuses any single changed character, a wrong length and letters outside the alphabet', () => {
    for (const code of PUBLISHED) {
      for (let i = 0; i < 18; i++) {
        const changed = code.slice(0, i) + (code[i] === '1' ? '2' : '1') + code.slice(i + 1);
        expect(isCreditCode(changed), changed).toBe(false);
      }
    }
    expect(isCreditCode('91350100M000100Y4')).toBe(false);
    expect(isCreditCode('91350100M000100Y433')).toBe(false);
    // I, O, S, V and Z are not in the code's alphabet (they look like 1, 0, 5, U and 2).
    expect(isCreditCode('91350100M0001I0Y43')).toBe(false);
    expect(isCreditCode('91350100m000100y43')).toBe(false);
  });
});

describe('directory entry validation', () => {
  const base = { kind: 'cooperative', name: '辣椒种植专业合作社', regionCode: '411422100001' };

  it('takes a typed code in lower case with spaces, and no code at all', () => {
    expect(entitySchema.parse({ ...base, creditCode: ' 91350100m000100y43 ' }).creditCode).toBe('91350100M000100Y43');
    expect(entitySchema.parse({ ...base, creditCode: '' }).creditCode).toBeNull();
    expect(entitySchema.safeParse({ ...base, creditCode: '91350100M000100Y44' }).error?.issues[0]?.message).toBe('validation.directory.creditCode');
  });

  it('splits tags on either comma, 、 and spaces, and limits them', () => {
    expect(splitTags('辣椒，大蒜、 小麦,辣椒')).toEqual(['辣椒', '大蒜', '小麦']);
    expect(entitySchema.safeParse({ ...base, tags: '一 二 三 四 五 六 七 八 九' }).success).toBe(false);
    expect(entitySchema.safeParse({ ...base, tags: '这是一个超过十二个字的很长的标签' }).success).toBe(false);
  });

  it('refuses unknown kinds, short names and codes that are no region code', () => {
    expect(entitySchema.safeParse({ ...base, kind: 'bank' }).success).toBe(false);
    expect(entitySchema.safeParse({ ...base, name: '社' }).success).toBe(false);
    expect(entitySchema.safeParse({ ...base, regionCode: '4114' }).success).toBe(false);
    expect(entitySchema.parse({ ...base, contactPublic: 'on' }).contactPublic).toBe(true);
    expect(entitySchema.parse(base).contactPublic).toBe(false);
  });

  it('recognises text that went through the wrong encoding', () => {
    const utf8ReadAsLatin1 = Buffer.from('辣椒合作社', 'utf8').toString('latin1');
    expect(looksGarbled(utf8ReadAsLatin1)).toBe(true);
    expect(looksGarbled('锟斤拷锟斤拷')).toBe(true);
    expect(looksGarbled('合作\uFFFD社')).toBe(true);
    expect(looksGarbled('辣椒种植专业合作社（示例）')).toBe(false);
  });
});
