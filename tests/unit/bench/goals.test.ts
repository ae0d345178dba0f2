import { describe, expect, it } from 'vitest';
import { cacheGoal, goalsTable, nginxGoal, renderGoal, workersGoal, writesGoal } from '../../../scripts/lib/bench/goals.ts';
import { routeStats } from '../../../scripts/lib/bench/stats.ts';
import type { WorkersRun } from '../../../scripts/lib/bench/workers.ts';
import type { WriteResult } from '../../../scripts/lib/bench/writes.ts';

/** A route that answered `requests` times in one second, every answer taking 1 ms. */
const stats = (name: string, requests: number, errors = 0) => routeStats(name, Array(requests).fill(1), 1, errors);

describe('the verdicts of npm run bench -- --goals', () => {
  it('goal 1: meets 80 % of village pages from the page cache only without any problem', () => {
    const load = { villageKept: 0.85, responses: 6000, seconds: 60, p99: 150, problems: [] };
    expect(cacheGoal(load)).toMatchObject({ goal: 1, met: true, figure: '85.0 %; 100 req/s, p99 150.0 ms' });
    expect(cacheGoal({ ...load, villageKept: 0.79 }).met).toBe(false);
    const failed = cacheGoal({ ...load, problems: ['3 timeouts'] });
    expect(failed.met).toBe(false);
    expect(failed.figure).toContain('3 timeouts');
  });

  it('goal 2: the rendered village page at half the floor rate or more, without errors', () => {
    const rates = {
      floor: stats('floor', 2000),
      layout: stats('layout', 1500),
      village: stats('village', 1000),
      cpuPerResponse: { floor: 0.5, layout: 0.7, village: 1 },
    };
    expect(renderGoal(rates)).toMatchObject({
      goal: 2,
      met: true,
      figure: '50.0 % (1000 / 2000 req/s); by server CPU 50.0 % (1.00 / 0.50 ms); the site layout alone 75.0 % (1500 req/s, 0.70 ms)',
    });
    expect(renderGoal({ ...rates, village: stats('village', 999) }).met).toBe(false);
    expect(renderGoal({ ...rates, village: stats('village', 1500, 2) }).met).toBe(false);
    expect(renderGoal({ ...rates, layout: stats('layout', 1500, 1) }).met).toBe(false);
  });

  it('goal 3: two workers at 1.7 times one', () => {
    const run = (workers: number, rate: number): WorkersRun => ({ workers, stats: stats(`WORKERS=${workers}`, rate), peakRssMb: 200, serverCores: workers, clientCores: 0.1 });
    expect(workersGoal([run(1, 100), run(2, 170)])).toMatchObject({ goal: 3, met: true });
    const missed = workersGoal([run(1, 100), run(2, 125)]);
    expect(missed.met).toBe(false);
    expect(missed.figure).toMatch(/^1\.25× \(100 req\/s with 1, 125 req\/s with 2;/);
  });

  it('goal 4: every way through nginx measured without error', () => {
    expect(nginxGoal([stats('direct', 900), stats('nginx cache', 4000)]).met).toBe(true);
    expect(nginxGoal([stats('direct', 900), stats('nginx cache', 4000, 1)]).met).toBe(false);
    expect(nginxGoal([stats('direct', 900), stats('nginx cache', 0)]).met).toBe(false);
    expect(nginxGoal([]).met).toBe(false);
  });

  it('goal 5: the writes measured and all stored', () => {
    const results: WriteResult[] = [{ stats: stats('training sign-ups', 300), unit: 'sign-ups', latencyOf: 'one request', stored: { expected: 300, found: 300 } }];
    expect(writesGoal(results, undefined)).toMatchObject({ goal: 5, met: true, figure: 'training sign-ups 300.0 sign-ups/s, p99 1.0 ms' });
    expect(writesGoal(results, 'training sign-ups: 299 stored, 300 confirmed.').met).toBe(false);
    expect(writesGoal([], undefined).met).toBe(false);
  });

  it('prints one row per goal with its verdict', () => {
    const text = goalsTable([
      { goal: 1, name: 'a', target: 't1', figure: 'f1', met: true },
      { goal: 2, name: 'b', target: 't2', figure: 'f2', met: false },
    ]);
    const lines = text.split('\n');
    expect(lines.some((line) => /\b1\b.*\ba\b.*t1.*f1.*yes/.test(line))).toBe(true);
    expect(lines.some((line) => /\b2\b.*\bb\b.*t2.*f2.*NO/.test(line))).toBe(true);
  });
});
