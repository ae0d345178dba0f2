import { describe, expect, it } from 'vitest';
import { findPersonalData, isBankCardNumber, isIdCardNumber, personalDataIn } from '../../../src/lib/articles/personalData.ts';

const none = new Set<string>();

describe('the personal-data guard', () => {
  it('knows an ID-card number by its check character', () => {
    // GB 11643 examples: the check character follows from the 17 digits (X stands for 10).
    expect(isIdCardNumber('11010519491231002X')).toBe(true);
    expect(isIdCardNumber('11010519491231002x')).toBe(true);
    expect(isIdCardNumber('440524188001010014')).toBe(true);
    expect(isIdCardNumber('110105194912310021')).toBe(false);
    expect(isIdCardNumber('440524188001010015')).toBe(false);
    expect(isIdCardNumber('44052418800101001')).toBe(false);
    expect(isIdCardNumber('44052418800101001A')).toBe(false);
  });

  it('knows a bank card number by Luhn and length', () => {
    expect(isBankCardNumber('6222021234567890128')).toBe(true);
    expect(isBankCardNumber('4111111111111111')).toBe(true);
    expect(isBankCardNumber('4111111111111112')).toBe(false);
    expect(isBankCardNumber('411111111111111')).toBe(false); // 15 digits
    expect(isBankCardNumber('41111111111111111111')).toBe(false); // 20 digits
  });

  it('finds numbers in text, also written with spaces or dashes, and not inside longer runs', () => {
    expect(personalDataIn('张三 身份证11010519491231002X 补贴 1200 元', none)).toEqual(['idCard']);
    expect(personalDataIn('卡号 6222 0212 3456 7890 128', none)).toEqual(['bankCard']);
    expect(personalDataIn('卡号 4111-1111-1111-1111', none)).toEqual(['bankCard']);
    expect(personalDataIn('电话 139-1234-5678 或 +86 13912345679', none)).toEqual(['mobile', 'mobile']);
    expect(personalDataIn('订单号 A11010519491231002X7', none)).toEqual([]);
    expect(personalDataIn('金额 1250.50 元，2026-10-01 发放，编号 12345678901234567890123', none)).toEqual([]);
    // A number that only looks like an ID (wrong check digit) or a card (fails Luhn) is let through.
    expect(personalDataIn('110105194912310021 4111111111111112', none)).toEqual([]);
    // Landlines are office numbers.
    expect(personalDataIn('村委会 0370-3123456', none)).toEqual([]);
  });

  it('lets the author’s own office mobile through, but no other', () => {
    const office = new Set(['13800000001']);
    expect(personalDataIn('办公电话 138 0000 0001', office)).toEqual([]);
    expect(personalDataIn('办公电话 13800000002', office)).toEqual(['mobile']);
  });

  it('says which field and line', () => {
    const hits = findPersonalData(
      [
        { field: 'title', lines: ['低保名单'] },
        { field: 'bodyMd', lines: ['张三', '李四 11010519491231002X', '', '王五 13912345678'] },
      ],
      none,
    );
    expect(hits).toEqual([
      { field: 'bodyMd', line: 2, what: 'idCard' },
      { field: 'bodyMd', line: 4, what: 'mobile' },
    ]);
  });
});
