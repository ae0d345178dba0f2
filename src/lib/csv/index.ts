import { CACHE_CONTROL } from '../cachePolicy.ts';

/** CSV for spreadsheets: UTF-8 with a BOM so Excel on Chinese Windows opens it correctly. */
const BOM = '\uFEFF';

function cell(value: unknown): string {
  if (typeof value === 'number') return String(value);
  let text = value === null || value === undefined ? '' : String(value);
  // Text starting with = + - @ would be evaluated by a spreadsheet as a formula.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return BOM + [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'Cache-Control': CACHE_CONTROL.noStore,
    },
  });
}
