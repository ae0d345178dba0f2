import { describe, expect, it } from 'vitest';
import { newRefCode } from '../../../src/lib/trainings/signups.ts';
import { cancelSignupSchema, monthRange, parseLocalDateTime, sessionSchema, signupSchema, toLocalInput } from '../../../src/lib/trainings/schemas.ts';

describe('training input', () => {
  it('reads datetime-local values as China time and writes them back', () => {
    expect(parseLocalDateTime('2026-12-01T09:00')).toBe(Date.parse('2026-12-01T01:00:00Z'));
    expect(toLocalInput(Date.parse('2026-12-31T16:30:00Z'))).toBe('2027-01-01T00:30');
    expect(parseLocalDateTime('2026-02-30T09:00')).toBeUndefined();
    expect(parseLocalDateTime('2026-12-01 09:00')).toBeUndefined();
    expect(parseLocalDateTime('9999-12-31T10:00')).toBeUndefined();
    expect(parseLocalDateTime('0001-01-01T10:00')).toBeUndefined();
  });

  it('gives a month as a range of China time', () => {
    expect(monthRange('2026-12')).toEqual([Date.parse('2026-12-01T00:00:00+08:00'), Date.parse('2027-01-01T00:00:00+08:00')]);
    expect(monthRange('2026-13')).toBeUndefined();
    expect(monthRange('202612')).toBeUndefined();
  });

  it('checks the order of start, end and deadline and the capacity', () => {
    const base = { countyCode: '411402', title: '培训', startsAt: '2026-12-01T09:00', endsAt: '2026-12-01T11:00', signupDeadline: '2026-11-30T18:00', capacity: '20' };
    expect(sessionSchema.parse(base).capacity).toBe(20);
    const issues = (input: object) => sessionSchema.safeParse({ ...base, ...input }).error?.issues.map((i) => i.message);
    expect(issues({ endsAt: '2026-12-01T08:00' })).toEqual(['validation.training.endBeforeStart']);
    expect(issues({ signupDeadline: '2026-12-02T08:00' })).toEqual(['validation.training.deadlineAfterStart']);
    expect(issues({ capacity: '0' })).toEqual(['validation.training.capacity']);
    expect(issues({ capacity: '2.5' })).toEqual(['validation.training.capacity']);
    expect(issues({ capacity: '0x10' })).toEqual(['validation.training.capacity']);
    expect(issues({ capacity: '1e3' })).toEqual(['validation.training.capacity']);
    expect(issues({ startsAt: '' })).toContain('validation.required');
  });

  it('normalizes the phone and the reference code', () => {
    expect(signupSchema.parse({ name: ' 张三 ', phone: '139 0000 0001', villageCode: '411402001001' })).toEqual({
      name: '张三',
      phone: '13900000001',
      villageCode: '411402001001',
    });
    expect(cancelSignupSchema.parse({ phone: '13900000001', ref: ' abc234 ' }).ref).toBe('ABC234');
    expect(cancelSignupSchema.safeParse({ phone: '13900000001', ref: 'ABC10O' }).success).toBe(false);
  });

  it('makes reference codes from the unambiguous alphabet', () => {
    const codes = new Set(Array.from({ length: 200 }, newRefCode));
    expect(codes.size).toBeGreaterThan(195);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  });
});
