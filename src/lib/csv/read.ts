/**
 * Reading spreadsheets saved as CSV. Excel on Chinese Windows saves "CSV" in GBK, newer Excel
 * offers "CSV UTF-8" (with a BOM), and "Unicode text" is UTF-16 with tabs: the bytes decide.
 */
export type TextEncoding = 'utf-8' | 'gbk' | 'utf-16le';

export function decodeSpreadsheet(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  try {
    // Valid UTF-8 is almost never valid-looking GBK by accident, so a strict UTF-8 pass decides.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}

/** Tab when the first line has tabs and no commas (Excel "Unicode text"), otherwise comma. */
function delimiterOf(text: string): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  return first.includes('\t') && !first.includes(',') ? '\t' : ',';
}

/**
 * RFC 4180 rows: quoted fields may hold delimiters, quotes ("") and line breaks. A leading BOM is
 * dropped; the trailing empty line most files end with does not become a row.
 */
export function parseCsv(input: string): string[][] {
  const text = input.replace(/^\uFEFF/, '');
  const delimiter = delimiterOf(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
