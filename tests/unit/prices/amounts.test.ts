import { describe, expect, it } from 'vitest';
import { parseAmount, parseDay } from '../../../src/lib/prices/amounts.ts';
import { startOfDay, today } from '../../../src/lib/time.ts';

describe('parseAmount (yuan as typed → fen)', () => {
  it('reads plain, full-width, "元"-suffixed and thousands-separated numbers', () => {
    expect(parseAmount('1.25')).toEqual({ ok: true, fen: 125 });
    expect(parseAmount('１.２５')).toEqual({ ok: true, fen: 125 });
    expect(parseAmount(' 3元 ')).toEqual({ ok: true, fen: 300 });
    expect(parseAmount('1,250.5')).toEqual({ ok: true, fen: 125050 });
    expect(parseAmount('0.105')).toEqual({ ok: true, fen: 11 });
  });

  it('treats an empty cell as no price', () => {
    expect(parseAmount('  ')).toEqual({ ok: true, fen: null });
  });

  it('refuses words, negative and absurd prices with their own messages', () => {
    expect(parseAmount('一块二')).toEqual({ ok: false, key: 'validation.price.number' });
    expect(parseAmount('1.2.3')).toEqual({ ok: false, key: 'validation.price.number' });
    expect(parseAmount('-0.5')).toEqual({ ok: false, key: 'validation.price.negative' });
    expect(parseAmount('250000')).toEqual({ ok: false, key: 'validation.price.tooHigh' });
  });
});

describe('parseDay', () => {
  const now = startOfDay('2026-06-15')! + 10 * 3600_000;

  it('accepts the ways spreadsheets write a day', () => {
    expect(parseDay('2026-06-01', now)).toEqual({ ok: true, date: '2026-06-01' });
    expect(parseDay('2026/6/1', now)).toEqual({ ok: true, date: '2026-06-01' });
    expect(parseDay('2026年6月1日', now)).toEqual({ ok: true, date: '2026-06-01' });
    expect(parseDay('2026-06-15', now)).toEqual({ ok: true, date: '2026-06-15' });
  });

  it('refuses impossible and future days', () => {
    expect(parseDay('2026-02-30', now)).toEqual({ ok: false, key: 'validation.price.date' });
    expect(parseDay('15.06.2026', now)).toEqual({ ok: false, key: 'validation.price.date' });
    expect(parseDay('0001-01-01', now)).toEqual({ ok: false, key: 'validation.price.date' });
    expect(parseDay('2026-06-16', now)).toEqual({ ok: false, key: 'validation.price.futureDate' });
  });

  it('uses the day in China: just after midnight there it is already the next day', () => {
    const chinaMidnight = startOfDay('2026-06-16')! + 60_000;
    expect(today(chinaMidnight)).toBe('2026-06-16');
    expect(parseDay('2026-06-16', chinaMidnight)).toEqual({ ok: true, date: '2026-06-16' });
  });
});
