import { z } from 'zod';
import { ALERT_SEVERITIES, DISCLOSURE_SUBJECTS, type ArticleDetails } from './types.ts';

/** The stored `articles.details` JSON, read back: anything unexpected is dropped rather than trusted. */
const storedDetails = z.object({
  subject: z.enum(DISCLOSURE_SUBJECTS).optional(),
  periodFrom: z.string().optional(),
  periodTo: z.string().optional(),
  rows: z.array(z.object({ item: z.string(), amountFen: z.number().int().nullable(), note: z.string() })).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  employer: z.string().optional(),
  place: z.string().optional(),
  pay: z.string().optional(),
  deadline: z.string().optional(),
});

export function parseStoredDetails(json: string): ArticleDetails {
  const parsed = storedDetails.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : {};
}

/** Fen as yuan with two decimals (`1234.50`), for tables and the form. */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The sum of a table's amounts, or null when no row has one. */
export function totalFen(rows: readonly { amountFen: number | null }[]): number | null {
  const amounts = rows.map((r) => r.amountFen).filter((a): a is number => a !== null);
  return amounts.length === 0 ? null : amounts.reduce((a, b) => a + b, 0);
}
