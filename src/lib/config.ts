/**
 * Every environment variable the application reads, each with its one parsing rule, default and
 * meaning. Parsed once: `npm start` (and every console script) calls `config()` first, so a bad
 * value stops it with one line naming the variable instead of quietly turning into a default.
 * README's configuration table is checked against SETTINGS (tests/unit/config.test.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { translator, type Locale, type MessageKey, type Params } from '../i18n/index.ts';
import { parseRateLimits, RateLimitConfigError, RATE_LIMIT_NAMES } from './limits/config.ts';

/**
 * The project root is the nearest ancestor holding `db/migrations`. Walking up works both from
 * `src/lib` (scripts, tests) and from the bundled chunk under `dist/server` (the built server).
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'db', 'migrations')) && existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The console scripts' language: English when `LANG` starts with `en`, else the portal's default. */
export function cliLocale(lang: string | undefined = process.env.LANG): Locale {
  return lang?.startsWith('en') ? 'en' : 'zh-CN';
}

/** A refused setting; the message is one line in the operator's language and names the variable. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.variable = variable;
  }
}

type Env = Record<string, string | undefined>;

/** Why a value was refused, as a catalogue key with its parameters (the variable and value are added). */
class Refusal {
  readonly key: MessageKey;
  readonly params: Params;
  constructor(key: MessageKey, params: Params = {}) {
    this.key = key;
    this.params = params;
  }
}

interface Setting<T> {
  /** README's table shows these two columns: the default and the values accepted. */
  readonly shown: string;
  readonly accepts: string;
  readonly parse: (raw: string | undefined) => T;
}

const DIGITS = z.string().regex(/^\d{1,9}$/);

function whole(min: number, max: number, fallback: number): Setting<number> {
  return {
    shown: `\`${fallback}\``,
    accepts: `whole number ${min}–${max}`,
    parse: (raw) => {
      if (raw === undefined) return fallback;
      const n = DIGITS.safeParse(raw.trim()).success ? Number(raw.trim()) : NaN;
      if (!(n >= min && n <= max)) throw new Refusal('cli.config.whole', { min, max });
      return n;
    },
  };
}

function path(shown: string, fallback: () => string): Setting<string> {
  return {
    shown: `\`${shown}\``,
    accepts: 'a path',
    parse: (raw) => {
      if (raw === undefined) return resolve(fallback());
      if (raw.trim() === '') throw new Refusal('cli.config.emptyPath');
      return resolve(raw);
    },
  };
}

function optionalText(): Setting<string | undefined> {
  // Not refused here: an unusable SITE_URL is ignored with a warning at start (src/lib/http/site.ts).
  return { shown: '(none)', accepts: 'an `https://…` address', parse: (raw) => (raw ? raw : undefined) };
}

const SETTINGS = {
  HOST: {
    shown: '`127.0.0.1`',
    accepts: 'host name or IP address',
    parse: (raw: string | undefined) => {
      if (raw === undefined) return '127.0.0.1';
      if (!/^[\w.:[\]-]{1,255}$/.test(raw)) throw new Refusal('cli.config.host');
      return raw;
    },
  },
  PORT: whole(1, 65535, 4321),
  DATABASE_PATH: path('db/xiangxin.sqlite', () => join(projectRoot(), 'db', 'xiangxin.sqlite')),
  MEDIA_DIR: path('media/', () => join(projectRoot(), 'media')),
  LISTING_TTL_DAYS: whole(1, 3650, 90),
  SITE_URL: optionalText(),
  TRUST_PROXY: {
    shown: '(off)',
    accepts: '`1` on, `0` or empty off',
    parse: (raw: string | undefined) => {
      if (raw === undefined || raw === '' || raw === '0') return false;
      if (raw === '1') return true;
      throw new Refusal('cli.config.flag');
    },
  },
  PAGE_CACHE_SECONDS: whole(0, 3600, 10),
  RATE_LIMITS: {
    shown: '(defaults)',
    accepts: '`NAME=POINTS/SECONDS,…`',
    parse: (raw: string | undefined) => {
      try {
        return parseRateLimits(raw);
      } catch (err) {
        if (err instanceof RateLimitConfigError) throw new Refusal('cli.config.rateLimits', { entry: err.entry, names: RATE_LIMIT_NAMES.join(', ') });
        throw err;
      }
    },
  },
  URGENT_OVERDUE_MINUTES: whole(1, 10_080, 30),
  REPORT_POINTS_TOWNSHIP: whole(0, 1000, 1),
  REPORT_POINTS_COUNTY: whole(0, 1000, 2),
  REPORT_POINTS_CITY: whole(0, 1000, 3),
  LANG: { shown: '(zh-CN)', accepts: 'any locale', parse: (raw: string | undefined) => cliLocale(raw) },
} satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** The default and the accepted values of a setting, as README's table shows them. */
export function describeSetting(name: SettingName): { shown: string; accepts: string } {
  const { shown, accepts } = SETTINGS[name];
  return { shown, accepts };
}

export type Config = { readonly [K in SettingName]: ReturnType<(typeof SETTINGS)[K]['parse']> };

/** Parses every setting; the first bad one is refused with a ConfigError naming it. */
export function parseConfig(env: Env): Config {
  const t = translator(cliLocale(env.LANG));
  const parsed: Partial<Record<SettingName, unknown>> = {};
  for (const name of SETTING_NAMES) {
    const raw = env[name];
    try {
      parsed[name] = SETTINGS[name].parse(raw);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      throw new ConfigError(name, t(err.key, { ...err.params, name, value: JSON.stringify(raw ?? '') }));
    }
  }
  return parsed as Config;
}

let cached: { key: string; config: Config } | undefined;

/**
 * The settings of this process. The environment is parsed on the first call; it is parsed again
 * only when the process itself changed one of the variables (tests and the benchmark do, before
 * they start anything), so a long-running server parses it exactly once.
 */
export function config(): Config {
  const key = JSON.stringify(SETTING_NAMES.map((name) => process.env[name] ?? null));
  if (cached?.key !== key) cached = { key, config: parseConfig(process.env) };
  return cached.config;
}

/**
 * The build's name, read by astro.config.mjs while building (`npm run build` passes the id of the
 * build folder); a build started by hand gets a name from the clock.
 */
export function buildId(env: Env = process.env): string {
  return env.XIANGXIN_BUILD_ID || Date.now().toString(36);
}
