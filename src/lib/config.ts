/**
 * Every environment variable the application reads: one zod schema, a field per setting with its
 * parsing rule and default. Parsed once: `npm start` (and every console script, through runCli)
 * calls `config()` first, so a bad value stops it with one line naming the variable instead of
 * quietly turning into a default. A new setting goes into SETTINGS and README's table, which
 * tests/unit/config.test.ts checks against it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { translator, type Locale, type MessageKey, type Params } from '../i18n/index.ts';
import { parseRateLimits, RATE_LIMIT_NAMES } from './limits/config.ts';
import { parseRobots } from './messages/robots.ts';
import { ConfigEntryError } from './validation/configEntry.ts';
import { parseCidrs, parseListenAddress } from './validation/network.ts';
import { parseRequiredRoles } from './auth/roles.ts';
import { parseScoreWeights, SCORE_FIGURES } from './coverage/weights.ts';

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

/**
 * One setting: its zod schema (from the raw string, or undefined when unset, to the value used),
 * the catalogue message that refuses a bad value, and what README's table shows.
 */
interface Setting<S extends z.ZodType> {
  readonly schema: S;
  /** Absent when the schema takes any string. */
  readonly refusal?: { key: MessageKey; params?: Params };
  readonly shown: string;
  readonly accepts: string;
}

function whole(min: number, max: number, fallback: number) {
  return {
    // Digits only: Number() would also take `1e3`, `0x10`, `1.0` and `Infinity`.
    schema: z
      .string()
      .trim()
      .regex(/^\d{1,9}$/)
      .transform(Number)
      .pipe(z.number().min(min).max(max))
      .default(fallback),
    refusal: { key: 'cli.config.whole', params: { min, max } },
    shown: `\`${fallback}\``,
    accepts: `whole number ${min}–${max}`,
  } satisfies Setting<z.ZodType>;
}

function path(shown: string, fallback: () => string) {
  return {
    schema: z
      .string()
      .refine((raw) => raw.trim() !== '')
      .transform((raw) => resolve(raw))
      .default(() => resolve(fallback())),
    refusal: { key: 'cli.config.emptyPath' },
    shown: `\`${shown}\``,
    accepts: 'a path',
  } satisfies Setting<z.ZodType>;
}

/** A key or password: any text, never echoed (no refusal names its value). */
function secret() {
  return {
    schema: z
      .string()
      .optional()
      .transform((raw) => raw?.trim() || undefined),
    shown: '(none)',
    accepts: 'text (kept secret)',
  } satisfies Setting<z.ZodType>;
}

/** A provider's API address: `https://host` in production, `http://127.0.0.1:PORT` for a test's fake. */
function address(fallback: string) {
  return {
    schema: z
      .string()
      .trim()
      .regex(/^https?:\/\/[\w.-]+(:\d{1,5})?\/?$/)
      .default(fallback),
    refusal: { key: 'cli.config.endpoint' },
    shown: `\`${fallback}\``,
    accepts: '`https://HOST[:PORT]`',
  } satisfies Setting<z.ZodType>;
}

/** A switch written `on` or `off`. */
function onOff(fallback: 'on' | 'off') {
  return {
    schema: z
      .enum(['on', 'off'])
      .default(fallback)
      .transform((raw) => raw === 'on'),
    refusal: { key: 'cli.config.onOff' },
    shown: `\`${fallback}\``,
    accepts: '`on` or `off`',
  } satisfies Setting<z.ZodType>;
}

/** SMS gateways: `log` only stores messages (nothing leaves the machine). */
export const SMS_DRIVERS = ['log', 'aliyun', 'tencent', 'http'] as const;
export type SmsDriverName = (typeof SMS_DRIVERS)[number];

/** Settings a driver cannot work without, checked once all settings parsed. */
const NEEDED: Partial<Record<SmsDriverName, readonly string[]>> = {
  aliyun: ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET'],
  tencent: ['TENCENT_SMS_SECRET_ID', 'TENCENT_SMS_SECRET_KEY', 'TENCENT_SMS_APP_ID'],
  http: ['SMS_HTTP_URL', 'SMS_HTTP_SECRET'],
};

/** A list setting (`A=…,B=…`): `parse` reads it, and its malformed entry is refused by name. */
function listOf<T>(parse: (raw: string | undefined) => T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parse(raw);
      } catch (err) {
        if (!(err instanceof ConfigEntryError)) throw err;
        ctx.addIssue({ code: 'custom', params: { entry: err.entry } });
        return z.NEVER;
      }
    });
}

/** An optional address whose scheme matches `scheme` (an unset or empty variable is undefined). */
function optionalUrl(scheme: RegExp) {
  return z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return undefined;
      if (!scheme.test(raw) || !URL.canParse(raw)) {
        ctx.addIssue({ code: 'custom' });
        return z.NEVER;
      }
      return raw;
    });
}

const SETTINGS = {
  HOST: {
    schema: z
      .string()
      .regex(/^[\w.:[\]-]{1,255}$/)
      .default('127.0.0.1'),
    refusal: { key: 'cli.config.host' },
    shown: '`127.0.0.1`',
    accepts: 'host name or IP address',
  },
  PORT: whole(1, 65535, 4321),
  DATABASE_PATH: path('db/xiangxin.sqlite', () => join(projectRoot(), 'db', 'xiangxin.sqlite')),
  MEDIA_DIR: path('media/', () => join(projectRoot(), 'media')),
  LISTING_TTL_DAYS: whole(1, 3650, 90),
  SITE_URL: {
    // Not refused here: an unusable SITE_URL is ignored with a warning at start (src/lib/site.ts).
    schema: z
      .string()
      .optional()
      .transform((raw) => raw || undefined),
    shown: '(none)',
    accepts: 'an `https://…` address',
  },
  TRUST_PROXY: {
    schema: z
      .enum(['', '0', '1'])
      .optional()
      .transform((raw) => raw === '1'),
    refusal: { key: 'cli.config.flag' },
    shown: '(off)',
    accepts: '`1` on, `0` or empty off',
  },
  ADMIN_LISTEN: {
    schema: listOf(parseListenAddress),
    refusal: { key: 'cli.config.adminListen' },
    shown: '(off)',
    accepts: '`HOST:PORT` or `[IPv6]:PORT`',
  },
  PUBLIC_ADMIN: onOff('on'),
  ADMIN_ALLOW_CIDRS: {
    schema: listOf(parseCidrs),
    refusal: { key: 'cli.config.cidrs' },
    shown: '(any)',
    accepts: '`ADDRESS/BITS,…` (IPv4 or IPv6)',
  },
  ADMIN_URL: {
    schema: optionalUrl(/^https?:\/\//),
    refusal: { key: 'cli.config.adminUrl' },
    shown: '(none)',
    accepts: 'an `http(s)://…` address',
  },
  SEPARATION_OF_DUTIES: onOff('off'),
  TOTP_REQUIRED_ROLES: {
    schema: listOf(parseRequiredRoles),
    refusal: { key: 'cli.config.roles' },
    shown: '`county_staff,admin`',
    accepts: '`ROLE,…` (admin, county_staff, station_manager, collector, expert) or `none`',
  },
  PAGE_CACHE_SECONDS: whole(0, 3600, 60),
  // Past four, the single SQLite writer is the limit, not the processors.
  WORKERS: { ...whole(1, 64, Math.min(availableParallelism(), 4)), shown: 'the number of cores, at most `4`' },
  // glibc's default is up to eight malloc arenas per core; a worker's threads kept 10–20 MB more in them (docs/PERFORMANCE.md).
  MALLOC_ARENA_MAX: whole(1, 64, 2),
  SHARED_CACHE_SECONDS: whole(0, 3600, 5),
  RATE_LIMITS: {
    schema: listOf(parseRateLimits),
    refusal: { key: 'cli.config.rateLimits', params: { names: RATE_LIMIT_NAMES.join(', ') } },
    shown: '(defaults)',
    accepts: '`NAME=POINTS/SECONDS,…`',
  },
  URGENT_OVERDUE_MINUTES: whole(1, 10_080, 30),
  REVIEW_REMIND_HOURS: whole(1, 720, 24),
  HOUSEKEEPING_SECONDS: whole(1, 86_400, 600),
  // MLPS 2.0 and art. 21 of the Cybersecurity Law ask for at least six months of logs.
  AUDIT_RETENTION_DAYS: { ...whole(180, 36_500, 365), refusal: { key: 'cli.config.auditRetention', params: { min: 180, max: 36_500 } } },
  USAGE_FLUSH_SECONDS: whole(1, 3600, 300),
  LINK_CHECK_TIMEOUT_SECONDS: whole(1, 120, 10),
  PRICE_MOVE_PERCENT: whole(1, 100, 5),
  PRICE_DIGEST_HOUR: whole(0, 23, 17),
  QUESTION_OVERDUE_DAYS: whole(1, 90, 3),
  REPORT_POINTS_TOWNSHIP: whole(0, 1000, 1),
  REPORT_POINTS_COUNTY: whole(0, 1000, 2),
  REPORT_POINTS_CITY: whole(0, 1000, 3),
  REPORT_WRITTEN_DUE_HOURS: whole(1, 168, 2),
  REPORT_POINTS_REQUEST_ANSWERED: whole(0, 1000, 1),
  REPORT_PENALTY_REQUEST_UNANSWERED: whole(0, 1000, 1),
  REPORT_POINTS_INSTRUCTION: whole(0, 1000, 5),
  FRESH_HOME_DAYS: whole(1, 3650, 14),
  FRESH_NEWS_DAYS: whole(1, 3650, 14),
  FRESH_NOTICE_DAYS: whole(1, 3650, 180),
  FRESH_STALE_COLUMNS: whole(1, 100, 5),
  FRESH_EMPTY_COLUMNS: whole(1, 100, 5),
  ACTIVE_COLLECTOR_DAYS: whole(1, 3650, 30),
  SCORE_WEIGHTS: {
    schema: listOf(parseScoreWeights),
    refusal: { key: 'cli.config.scoreWeights', params: { names: SCORE_FIGURES.join(', ') } },
    shown: '(defaults)',
    accepts: '`FIGURE=WEIGHT,…`',
  },
  DISCLOSURE_MONTHS_FINANCE: whole(1, 12, 1),
  DISCLOSURE_MONTHS: whole(1, 12, 3),
  SMS_SIGN_NAME: {
    // The approved SMS signature (签名): 2–12 characters, shown as 【…】 in front of every text.
    schema: z
      .string()
      .trim()
      .regex(/^[\p{L}\p{N}]{2,12}$/u)
      .default('乡信'),
    refusal: { key: 'cli.config.smsSignName' },
    shown: '`乡信`',
    accepts: '2–12 letters or digits',
  },
  ROBOTS: {
    schema: listOf(parseRobots),
    refusal: { key: 'cli.config.robots' },
    shown: '(none)',
    accepts: '`REGION=wecom:URL;REGION=dingtalk:URL#SECRET;…`',
  },
  OUTBOX_POLL_MS: whole(50, 3_600_000, 5000),
  MESSAGE_SEND_TIMEOUT_MS: whole(100, 120_000, 10_000),
  MESSAGE_QUIET_HOURS: {
    // Whole hours in China time, `start-end` (may wrap midnight), or `off`.
    schema: z
      .string()
      .trim()
      .default('21-7')
      .transform((raw, ctx) => {
        if (raw === 'off') return undefined;
        const match = /^(\d{1,2})-(\d{1,2})$/.exec(raw);
        const start = Number(match?.[1]);
        const end = Number(match?.[2]);
        if (!match || start > 23 || end > 23 || start === end) {
          ctx.addIssue({ code: 'custom' });
          return z.NEVER;
        }
        return { start, end } as const;
      }),
    refusal: { key: 'cli.config.quietHours' },
    shown: '`21-7`',
    accepts: '`START-END` (hours 0–23, China time) or `off`',
  },
  SMS_DAILY_CAP: whole(1, 100, 3),
  SMS_DRIVER: {
    schema: z.enum(SMS_DRIVERS).default('log'),
    refusal: { key: 'cli.config.smsDriver', params: { drivers: SMS_DRIVERS.join(', ') } },
    shown: '`log`',
    accepts: SMS_DRIVERS.map((d) => `\`${d}\``).join(', '),
  },
  SMS_TEMPLATES: {
    // Kind names are checked against MESSAGE_KINDS when the server starts (checkMessageSettings).
    schema: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const templates: Record<string, string> = {};
        for (const entry of (raw ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)) {
          const match = /^([a-z][a-z.]*)=([\w-]{1,64})$/.exec(entry);
          if (!match || Object.hasOwn(templates, match[1]!)) {
            ctx.addIssue({ code: 'custom', params: { entry } });
            return z.NEVER;
          }
          templates[match[1]!] = match[2]!;
        }
        return templates;
      }),
    refusal: { key: 'cli.config.smsTemplates' },
    shown: '(none)',
    accepts: '`KIND=CODE,…`',
  },
  ALIYUN_SMS_ACCESS_KEY_ID: secret(),
  ALIYUN_SMS_ACCESS_KEY_SECRET: secret(),
  ALIYUN_SMS_ENDPOINT: address('https://dysmsapi.aliyuncs.com'),
  TENCENT_SMS_SECRET_ID: secret(),
  TENCENT_SMS_SECRET_KEY: secret(),
  TENCENT_SMS_APP_ID: secret(),
  TENCENT_SMS_REGION: {
    schema: z
      .string()
      .trim()
      .regex(/^[a-z]+(-[a-z]+)+$/)
      .default('ap-guangzhou'),
    refusal: { key: 'cli.config.tencentRegion' },
    shown: '`ap-guangzhou`',
    accepts: 'a Tencent Cloud region',
  },
  TENCENT_SMS_ENDPOINT: address('https://sms.tencentcloudapi.com'),
  SMS_HTTP_URL: {
    // The value is never echoed: a gateway address may carry a token.
    schema: optionalUrl(/^https?:\/\//),
    refusal: { key: 'cli.config.httpUrl' },
    shown: '(none)',
    accepts: 'an `http(s)://…` address',
  },
  SMS_HTTP_SECRET: secret(),
  SMTP_URL: {
    // Never echoed: it holds the mailbox password.
    schema: optionalUrl(/^smtps?:\/\//),
    refusal: { key: 'cli.config.smtpUrl' },
    shown: '(none)',
    accepts: '`smtp://USER:PASSWORD@HOST:PORT` or `smtps://…`',
  },
  MAIL_FROM: {
    schema: z
      .string()
      .trim()
      .optional()
      .transform((raw, ctx) => {
        if (!raw) return undefined;
        if (!z.email().safeParse(raw.replace(/^.*<(.*)>$/, '$1')).success) {
          ctx.addIssue({ code: 'custom' });
          return z.NEVER;
        }
        return raw;
      }),
    refusal: { key: 'cli.config.mailFrom' },
    shown: '(none)',
    accepts: 'an e-mail address, or `Name <address>`',
  },
  LANG: {
    schema: z
      .string()
      .optional()
      .transform((raw) => cliLocale(raw)),
    shown: '(zh-CN)',
    accepts: 'any locale',
  },
} satisfies Record<string, Setting<z.ZodType>>;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** The whole environment's schema: one field per setting, other variables ignored. */
const schema = z.object(Object.fromEntries(SETTING_NAMES.map((name) => [name, SETTINGS[name].schema])) as { [K in SettingName]: (typeof SETTINGS)[K]['schema'] });

export type Config = Readonly<z.output<typeof schema>>;

/** The default and the accepted values of a setting, as README's table shows them. */
export function describeSetting(name: SettingName): { shown: string; accepts: string } {
  const { shown, accepts } = SETTINGS[name];
  return { shown, accepts };
}

/** Parses every setting; the first bad one is refused with a ConfigError naming it. */
export function parseConfig(env: Env): Config {
  const result = schema.safeParse(env);
  if (result.success) {
    const settings = result.data;
    // Without the admin listener, PUBLIC_ADMIN=off would leave the admin nowhere.
    const needs: [string, string][] = [
      ...(NEEDED[settings.SMS_DRIVER] ?? []).map((name): [string, string] => [name, `SMS_DRIVER=${settings.SMS_DRIVER}`]),
      ...(settings.SMTP_URL ? [['MAIL_FROM', 'SMTP_URL'] as [string, string]] : []),
      ...(settings.PUBLIC_ADMIN ? [] : [['ADMIN_LISTEN', 'PUBLIC_ADMIN=off'] as [string, string]]),
    ];
    const missing = needs.find(([name]) => settings[name as SettingName] === undefined);
    if (missing) {
      const t = translator(cliLocale(env.LANG));
      throw new ConfigError(missing[0], t('cli.config.needed', { name: missing[0], by: missing[1] }));
    }
    return settings;
  }
  const issue = result.error.issues[0]!;
  const name = issue.path[0] as SettingName;
  const setting: Setting<z.ZodType> = SETTINGS[name];
  if (!setting.refusal) throw result.error;
  const { key, params } = setting.refusal;
  const found = issue.code === 'custom' ? (issue.params as Params | undefined) : undefined;
  const t = translator(cliLocale(env.LANG));
  throw new ConfigError(name, t(key, { ...params, ...found, name, value: JSON.stringify(env[name] ?? '') }));
}

let cached: { key: string; config: Config } | undefined;

// One flag for every copy of this module: a server process also runs the built application's copy.
const FROZEN = Symbol.for('xiangxin.configFrozen');

/**
 * Tells config() that this process's environment no longer changes: it stops comparing every
 * variable on each call (about 50 µs, two or three times per page). Server processes call it once
 * their settings are in place; the returned function undoes it (for tests).
 */
export function freezeConfig(): () => void {
  const flags = globalThis as Record<symbol, unknown>;
  flags[FROZEN] = true;
  return () => {
    flags[FROZEN] = undefined;
  };
}

/**
 * The settings of this process. The environment is parsed on the first call; it is parsed again
 * only when the process itself changed one of the variables (tests and the benchmark do, before
 * they start anything), so a long-running server parses it exactly once.
 */
export function config(): Config {
  if (cached && (globalThis as Record<symbol, unknown>)[FROZEN] === true) return cached.config;
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
