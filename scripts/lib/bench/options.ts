/** `npm run bench` options, checked like any other input: a bad value stops the bench with a message. */
import { parseArgs } from 'node:util';
import { CliError } from '../cli.ts';

export interface BenchOptions {
  /** Seconds of measured load per route and dataset. */
  seconds: number;
  /** Whole measurements, each on fresh servers, whose spread is reported. */
  rounds: number;
  /** Only the /products filter plans and timings at 100k listings, no servers (`--plans`). */
  plans: boolean;
  /** Only the rendered village page with one worker and with two (`--workers`, scripts/lib/bench/workers.ts). */
  workers: boolean;
  /** Only the village page straight and through nginx over HTTPS (`--nginx`, scripts/lib/bench/nginx.ts). */
  nginx: boolean;
  /** Only the write ceilings (`--writes`, scripts/lib/bench/writes.ts). */
  writes: boolean;
  /** Only the rendered village pages against the SSR floor, and a CPU profile of them (`--profile`). */
  profile: boolean;
  /** Every goal of issue 24 in one run, with a verdict each (`--goals`, scripts/lib/bench/goals.ts). */
  goals: boolean;
}

export function benchOptions(args: string[]): BenchOptions {
  let values: { seconds: string; rounds: string; plans: boolean; workers: boolean; nginx: boolean; writes: boolean; profile: boolean; goals: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        seconds: { type: 'string', default: '10' },
        rounds: { type: 'string', default: '1' },
        plans: { type: 'boolean', default: false },
        workers: { type: 'boolean', default: false },
        nginx: { type: 'boolean', default: false },
        writes: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        goals: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message} (usage: npm run bench -- [--seconds S] [--rounds N] [--plans | --workers | --nginx | --writes | --profile | --goals])`);
  }
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new CliError('--seconds must be a positive number.');
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new CliError('--rounds must be a whole number from 1 to 10.');
  const modes = (['plans', 'workers', 'nginx', 'writes', 'profile', 'goals'] as const).filter((mode) => values[mode]);
  if (modes.length > 1) throw new CliError(`Choose one of ${modes.map((mode) => `--${mode}`).join(', ')}.`);
  return {
    seconds,
    rounds,
    plans: values.plans,
    workers: values.workers,
    nginx: values.nginx,
    writes: values.writes,
    profile: values.profile,
    goals: values.goals,
  };
}
