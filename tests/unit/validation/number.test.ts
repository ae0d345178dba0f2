import { describe, expect, it } from 'vitest';
import { parseId, wholeNumber } from '../../../src/lib/validation/number.ts';

describe('numbers typed into forms and addresses', () => {
  const month = wholeNumber('validation.month.invalid', 1, 12);

  it('reads plain digits only', () => {
    expect(month.parse('8')).toBe(8);
    expect(month.parse(' 12 ')).toBe(12);
    for (const bad of ['0x5', '1e1', '5.0', '-1', '13', '0', 'NaN', 'Infinity', '', '５']) expect(month.safeParse(bad).success, bad).toBe(false);
    expect(month.safeParse(undefined).error?.issues[0]?.message).toBe('validation.month.invalid');
  });

  it('takes ids as positive plain digits, refusing what Number() would bend', () => {
    expect(parseId('16')).toBe(16);
    for (const bad of ['0x10', '1e9', '016', '0', '-1', '1.5', ' 7', '%00', '9'.repeat(16), '', null, undefined]) expect(parseId(bad), String(bad)).toBeUndefined();
  });
});
