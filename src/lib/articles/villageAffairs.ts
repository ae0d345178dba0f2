/**
 * 村务公开 (village affairs disclosure): the table editor's rows, the rhythm each subject must be
 * disclosed at, a village's latest disclosure per subject and the overdue list for coverage pages.
 */
import { config, type Config } from '../config.ts';
import { cachedRead } from '../db/cache.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { changesAt, withTags } from '../db/tags.ts';
import { UserError } from '../errors.ts';
import { startOfDay, today } from '../time.ts';
import { ARTICLE_COLUMNS, toArticle, type ArticleRow } from './index.ts';
import { DISCLOSURE_SUBJECTS, type Article, type DisclosureRow, type DisclosureSubject } from './types.ts';

/** Rows the editor shows beyond the filled ones, and how many "add rows" adds. */
export const EMPTY_ROWS = 5;
export const MAX_ROWS = 200;
const MAX_AMOUNT_FEN = 100_000_000_000;

/** How many rows a posted form had (the "add rows" button re-renders with more). */
export function rowCountOf(fields: Record<string, string>): number {
  const n = Number(fields.rowCount);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_ROWS) : EMPTY_ROWS;
}

/** `1234.5` or `1,234.50` yuan → fen; anything else is undefined. */
export function yuanToFen(text: string): number | undefined {
  const plain = text.replace(/[,，\s]/g, '');
  if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(plain)) return undefined;
  const negative = plain.startsWith('-');
  const [whole, frac = ''] = plain.replace('-', '').split('.');
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return negative ? -fen : fen;
}

/**
 * The table of a posted disclosure form (`item.N`, `amount.N`, `note.N`): empty rows are left out,
 * a row with an amount or note needs an item, an amount must be a number of yuan.
 */
export function rowsFromFields(fields: Record<string, string>): DisclosureRow[] {
  const rows: DisclosureRow[] = [];
  for (let i = 0; i < rowCountOf(fields); i++) {
    const item = (fields[`item.${i}`] ?? '').trim();
    const amount = (fields[`amount.${i}`] ?? '').trim();
    const note = (fields[`note.${i}`] ?? '').trim();
    if (!item && !amount && !note) continue;
    if (!item) throw new UserError('validation.required', 400, `item.${i}`);
    if (item.length > 200 || note.length > 500) throw new UserError('validation.tooLong', 400, item.length > 200 ? `item.${i}` : `note.${i}`);
    const amountFen = amount === '' ? null : yuanToFen(amount);
    if (amountFen === undefined || (amountFen !== null && Math.abs(amountFen) > MAX_AMOUNT_FEN)) throw new UserError('validation.article.amount', 400, `amount.${i}`);
    rows.push({ item, amountFen, note });
  }
  return rows;
}

/** Months one disclosure of a subject may cover before the next is due; 重大事项 are disclosed as they happen. */
export function rhythmMonths(subject: DisclosureSubject, settings: Pick<Config, 'DISCLOSURE_MONTHS' | 'DISCLOSURE_MONTHS_FINANCE'> = config()): number | null {
  if (subject === 'major') return null;
  return subject === 'finance' ? settings.DISCLOSURE_MONTHS_FINANCE : settings.DISCLOSURE_MONTHS;
}

function addMonths(month: string, n: number): string {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/**
 * The day the next disclosure is due: the next period (one rhythm after the last month covered)
 * must be out by the first day after it ends. Finances covered to 2026-10, monthly: due 2026-12-01.
 * Null for 重大事项 (no rhythm) and for a subject never disclosed (due already).
 */
export function nextDueOn(subject: DisclosureSubject, periodTo: string | null, months = rhythmMonths(subject)): string | null {
  if (months === null || periodTo === null) return null;
  return dueAfter(periodTo, months);
}

function dueAfter(periodTo: string, months: number): string {
  return `${addMonths(periodTo, months + 1)}-01`;
}

export interface SubjectDisclosure {
  subject: DisclosureSubject;
  /** The disclosure covering the latest period, if any. */
  latest: Article | undefined;
  /** `YYYY-MM-DD`; null when there is no rhythm or nothing was ever disclosed. */
  dueOn: string | null;
  overdue: boolean;
}

/** A village's published disclosures, the latest period first. */
/** The latest disclosure of each subject a village has disclosed; kept until the village's own articles change. */
function latestDisclosures(db: Db, villageCode: string): Article[] {
  return cachedRead(db, 'articles', JSON.stringify(['disclosures', villageCode]), () =>
    // Only the village's own articles (tagged by 0042_cache_tags.sql).
    withTags({ articles: [`articles:at:${villageCode}`] }, () =>
      many<ArticleRow>(
        db,
        `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id IN (
           SELECT id FROM (
             SELECT id, row_number() OVER (PARTITION BY json_extract(details, '$.subject') ORDER BY json_extract(details, '$.periodTo') DESC, published_at DESC, id DESC) AS place
             FROM articles WHERE region_code = ? AND kind = 'village_affairs' AND status = 'published'
           ) WHERE place = 1
         )`,
        villageCode,
      ).map((r) => toArticle(r)!),
    ),
  );
}

/** The village page's block: for every subject its latest disclosure and when the next is due. */
export function disclosureStatus(db: Db, villageCode: string, now = Date.now()): SubjectDisclosure[] {
  const all = latestDisclosures(db, villageCode);
  const day = today(now);
  // What is overdue changes at midnight in China.
  changesAt(startOfDay(day)! + 86_400_000);
  // Reading the settings checks every variable of the environment: once per page, not per subject.
  const settings = config();
  return DISCLOSURE_SUBJECTS.map((subject) => {
    const latest = all.find((a) => a.details.subject === subject);
    const months = rhythmMonths(subject, settings);
    const dueOn = nextDueOn(subject, latest?.details.periodTo ?? null, months);
    const overdue = months !== null && (dueOn === null || dueOn <= day);
    return { subject, latest, dueOn, overdue };
  });
}

export interface OverdueDisclosure {
  villageCode: string;
  villageName: string;
  subject: DisclosureSubject;
  /** The last month disclosed, or null when the subject never was. */
  lastPeriodTo: string | null;
  /** Null when the subject never was disclosed. */
  dueOn: string | null;
}

/**
 * The latest month disclosed per village and subject in `scope`'s subtree: one grouped query along
 * the articles' region index, so a whole city is a single range scan.
 */
export function latestDisclosed(db: Db, scope: string): Map<string, Map<string, string>> {
  const latest = new Map<string, Map<string, string>>();
  for (const r of many<{ code: string; subject: string; periodTo: string }>(
    db,
    `SELECT region_code AS code, json_extract(details, '$.subject') AS subject, max(json_extract(details, '$.periodTo')) AS periodTo
     FROM articles WHERE region_code >= ? AND region_code < ? AND kind = 'village_affairs' AND status = 'published'
     GROUP BY 1, 2`,
    scope,
    `${scope}:`,
  )) {
    const subjects = latest.get(r.code) ?? new Map<string, string>();
    subjects.set(r.subject, r.periodTo);
    latest.set(r.code, subjects);
  }
  return latest;
}

export type OverdueSubject = Pick<OverdueDisclosure, 'subject' | 'lastPeriodTo' | 'dueOn'>;

/**
 * The test of one village on `day`: its subjects with a rhythm whose next disclosure's day has come,
 * or that never were disclosed. The rhythms are read once, not once per village of the city.
 */
export function overdueOn(day: string): (latest: Map<string, string> | undefined) => OverdueSubject[] {
  const rhythms = DISCLOSURE_SUBJECTS.flatMap((subject) => {
    const months = rhythmMonths(subject);
    return months === null ? [] : [{ subject, months }];
  });
  return (latest) =>
    rhythms.flatMap(({ subject, months }) => {
      const lastPeriodTo = latest?.get(subject) ?? null;
      const dueOn = lastPeriodTo === null ? null : dueAfter(lastPeriodTo, months);
      return dueOn === null || dueOn <= day ? [{ subject, lastPeriodTo, dueOn }] : [];
    });
}

/**
 * The disclosures overdue in a region's subtree on `now`'s day in China, village by village (for
 * the coverage pages): every subject with a rhythm whose next disclosure's day has come, or that
 * was never disclosed.
 */
export function overdueDisclosures(db: Db, scope: string, now = Date.now()): OverdueDisclosure[] {
  const villages = many<{ code: string; name: string }>(db, `SELECT code, name FROM regions WHERE code >= ? AND code < ? AND level = 'village' ORDER BY code`, scope, `${scope}:`);
  const latest = latestDisclosed(db, scope);
  const overdue = overdueOn(today(now));
  return villages.flatMap((v) => overdue(latest.get(v.code)).map((o) => ({ villageCode: v.code, villageName: v.name, ...o })));
}
