import { describe, expect, it } from 'vitest';
import { overdueOn } from '../../../src/lib/articles/villageAffairs.ts';
import { chinaWeek } from '../../../src/lib/coverage/digest.ts';
import { type CoverageRow, parseSort, sortRows } from '../../../src/lib/coverage/coverage.ts';
import { columnsOf, judgePage, limitDays, percent, type Thresholds } from '../../../src/lib/coverage/rules.ts';
import { monthRange, weightedScore } from '../../../src/lib/coverage/scorecard.ts';
import { DEFAULT_SCORE_WEIGHTS, parseScoreWeights, SCORE_FIGURES } from '../../../src/lib/coverage/weights.ts';
import { ConfigEntryError } from '../../../src/lib/validation/configEntry.ts';

const DAY = 86_400_000;
/** The frozen clock: 2026-12-02 12:00 China time. */
const NOW = Date.parse('2026-12-02T12:00:00+08:00');
const ago = (days: number) => NOW - days * DAY;
const INSPECTION: Thresholds = { homeDays: 14, newsDays: 14, noticeDays: 180, staleColumns: 5, emptyColumns: 5 };

describe('the inspection rules on one page', () => {
  it('gives each level its sections: five article kinds, plus products, library or training notices', () => {
    expect(columnsOf('city')).toEqual(['notice', 'technical', 'market', 'policy', 'livelihood']);
    expect(columnsOf('village')).toContain('products');
    expect(columnsOf('township')).toContain('library');
    expect(columnsOf('county')).toContain('trainingNotices');
    expect(limitDays('market', INSPECTION)).toBe(14);
    expect(limitDays('notice', INSPECTION)).toBe(180);
    expect(limitDays('policy', INSPECTION)).toBe(180);
    expect(limitDays('products', INSPECTION)).toBe(180);
  });

  it('counts a news section stale after 14 whole days and a notice section after 180', () => {
    const verdict = judgePage({ level: 'city', latest: { technical: ago(15), market: ago(14), notice: ago(181), policy: ago(180), livelihood: ago(1) } }, NOW, INSPECTION);
    expect(verdict.stale).toEqual([
      { column: 'notice', days: 181 },
      { column: 'technical', days: 15 },
    ]);
    expect(verdict.empty).toEqual([]);
    expect(verdict.homeStale).toBe(false);
    expect(verdict.fails).toBe(false);
  });

  it('fails a page whose home had nothing new for more than 14 days, the profile counting as new content', () => {
    const old = judgePage({ level: 'city', latest: { notice: ago(20), policy: ago(20), technical: ago(13) } }, NOW, INSPECTION);
    expect(old.homeStale).toBe(false);
    const stale = judgePage({ level: 'city', latest: { notice: ago(20), policy: ago(20) } }, NOW, INSPECTION);
    expect(stale.homeStale).toBe(true);
    expect(stale.fails).toBe(true);
    const saved = judgePage({ level: 'city', latest: { notice: ago(20), policy: ago(20) }, profileAt: ago(2) }, NOW, INSPECTION);
    expect(saved.homeStale).toBe(false);
    expect(saved.homeAt).toBe(ago(2));
    const never = judgePage({ level: 'city', latest: {} }, NOW, INSPECTION);
    expect(never.homeAt).toBeUndefined();
    expect(never.homeStale).toBe(true);
  });

  it('fails a page with five stale sections but not four; five empty sections but not four', () => {
    const four = { notice: ago(200), policy: ago(200), technical: ago(30), market: ago(30), livelihood: ago(1) };
    expect(judgePage({ level: 'city', latest: four }, NOW, INSPECTION).fails).toBe(false);
    const five = { ...four, livelihood: ago(30), products: ago(1) };
    const village = judgePage({ level: 'village', latest: five }, NOW, INSPECTION);
    expect(village.stale).toHaveLength(5);
    expect(village.fails).toBe(true);
    const emptyFour = judgePage({ level: 'village', latest: { products: ago(1), notice: ago(1) } }, NOW, INSPECTION);
    expect(emptyFour.empty).toHaveLength(4);
    expect(emptyFour.fails).toBe(false);
    const emptyFive = judgePage({ level: 'village', latest: { products: ago(1) } }, NOW, INSPECTION);
    expect(emptyFive.empty).toEqual(['notice', 'technical', 'market', 'policy', 'livelihood']);
    expect(emptyFive.fails).toBe(true);
  });

  it('follows other thresholds when configured', () => {
    const strict = { ...INSPECTION, newsDays: 7, emptyColumns: 1 };
    const verdict = judgePage({ level: 'city', latest: { notice: ago(1), technical: ago(8), market: ago(1), policy: ago(1) } }, NOW, strict);
    expect(verdict.stale).toEqual([{ column: 'technical', days: 8 }]);
    expect(verdict.fails).toBe(true);
  });

  it('rounds shares to whole percent and gives 0 of nothing', () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 3)).toBe(67);
    expect(percent(0, 0)).toBe(0);
  });
});

describe('the scorecard weights', () => {
  it('takes the defaults, overrides named figures and refuses unknown figures, big weights and all zero', () => {
    expect(parseScoreWeights(undefined)).toEqual(DEFAULT_SCORE_WEIGHTS);
    expect(parseScoreWeights('coverage=50, reports=0')).toEqual({ ...DEFAULT_SCORE_WEIGHTS, coverage: 50, reports: 0 });
    expect(SCORE_FIGURES.reduce((n, f) => n + DEFAULT_SCORE_WEIGHTS[f], 0)).toBe(100);
    expect(parseScoreWeights('questions=40').questions).toBe(40);
    for (const bad of ['answers=10', 'coverage=101', 'coverage', 'coverage=-1', 'coverage=0,freshness=0,listings=0,trainings=0,reports=0,questions=0']) {
      expect(() => parseScoreWeights(bad), bad).toThrow(ConfigEntryError);
    }
  });

  it('scores the weighted mean to one decimal', () => {
    const figures = { coverage: 50, freshness: 100, listings: 0, trainings: 0, reports: 100, questions: 60 };
    // (25·50 + 20·100 + 10·100 + 15·60) / 100 = 51.5
    expect(weightedScore(figures, DEFAULT_SCORE_WEIGHTS)).toBe(51.5);
    // Without listings: 5150 / 85 = 60.588…
    expect(weightedScore(figures, { ...DEFAULT_SCORE_WEIGHTS, listings: 0 })).toBe(60.6);
    expect(weightedScore({ ...figures, coverage: 33 }, { coverage: 1, freshness: 0, listings: 0, trainings: 0, reports: 2, questions: 0 })).toBe(77.7);
  });

  it('takes a month as YYYY-MM only', () => {
    expect(monthRange('2026-11')).toEqual({ from: Date.parse('2026-11-01T00:00:00+08:00'), to: Date.parse('2026-12-01T00:00:00+08:00') });
    expect(monthRange('2026')).toBeUndefined();
    expect(monthRange('2026-13')).toBeUndefined();
  });
});

describe('the China week of the weekly digest', () => {
  it('starts on Monday in China time and follows the ISO year', () => {
    expect(chinaWeek(NOW)).toBe('2026-W49');
    // Sunday 23:59 and Monday 00:00 in China are different weeks, whatever UTC says.
    expect(chinaWeek(Date.parse('2026-12-06T23:59:00+08:00'))).toBe('2026-W49');
    expect(chinaWeek(Date.parse('2026-12-07T00:00:00+08:00'))).toBe('2026-W50');
    expect(chinaWeek(Date.parse('2027-01-01T12:00:00+08:00'))).toBe('2026-W53');
    expect(chinaWeek(Date.parse('2027-01-04T12:00:00+08:00'))).toBe('2027-W01');
  });
});

describe('sorting the roll-up', () => {
  const row = (code: string, established: number, pct: number) => ({ code, establishedPct: pct, established }) as CoverageRow;
  it('sorts by a known column either way, by code when unknown, ties by code', () => {
    const rows = [row('411402', 3, 10), row('411403', 5, 50), row('411421', 5, 20)];
    expect(sortRows(rows, parseSort(new URLSearchParams('sort=establishedPct&dir=desc'))).map((r) => r.code)).toEqual(['411403', '411421', '411402']);
    expect(sortRows(rows, parseSort(new URLSearchParams('sort=established'))).map((r) => r.code)).toEqual(['411402', '411403', '411421']);
    expect(parseSort(new URLSearchParams('sort=name;drop'))).toEqual({ key: 'code', descending: false });
  });
});

describe('overdue 村务公开 on the coverage pages', () => {
  it('finds the subjects whose next disclosure was due by the day, or never disclosed; 重大事项 never', () => {
    // Default rhythm: finances monthly, the rest quarterly.
    const latest = new Map([
      ['finance', '2026-10'],
      ['subsidy', '2026-09'],
      ['relief', '2026-08'],
      ['major', '2026-01'],
    ]);
    // Finances to October: November's were due on 1 December. Subsidies to September: the quarter to
    // December is due on 1 January. Relief to August: due 1 December. Homestead and assets never.
    expect(overdueOn('2026-12-02')(latest)).toEqual([
      { subject: 'finance', lastPeriodTo: '2026-10', dueOn: '2026-12-01' },
      { subject: 'relief', lastPeriodTo: '2026-08', dueOn: '2026-12-01' },
      { subject: 'homestead', lastPeriodTo: null, dueOn: null },
      { subject: 'assets', lastPeriodTo: null, dueOn: null },
    ]);
    // The day before, finances and relief were not yet due.
    expect(overdueOn('2026-11-30')(latest).map((o) => o.subject)).toEqual(['homestead', 'assets']);
    expect(overdueOn('2026-12-02')(undefined).map((o) => o.subject)).toEqual(['finance', 'subsidy', 'relief', 'homestead', 'assets']);
  });
});
