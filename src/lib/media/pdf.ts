import { constants, inflateSync } from 'node:zlib';

/**
 * PDF actions that run something when a reader opens or clicks the file: JavaScript, launching a
 * program, forms that submit or import data elsewhere, embedded files and media, XFA forms (which
 * carry their own scripts). Leaflets and scanned documents need none of them.
 */
const ACTIVE_NAMES = new Set(['JavaScript', 'JS', 'Launch', 'SubmitForm', 'ImportData', 'RichMedia', 'EmbeddedFile', 'EmbeddedFiles', 'XFA']);
/**
 * The long ones are refused wherever their bytes appear, stream data included: a viewer can be
 * pointed (by the cross-reference table) at an object written inside another stream's data, and
 * compressed image data holds a given run of ten bytes essentially never. The short `/JS` is not
 * on this list (it would turn up by chance in large scans) and is useless without `/JavaScript`.
 */
const ACTIVE_ANYWHERE = /\/(?:JavaScript|Launch|SubmitForm|ImportData|RichMedia|EmbeddedFiles?)(?![A-Za-z0-9])/;
/** Decompressed object streams together: far above any leaflet's, far below the server's memory. */
const MAX_INFLATED_BYTES = 32 * 1024 * 1024;

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

/** Names and `stream` keywords hide letters as `#xx` escapes (`/J#61vaScript`). */
const unescapeNames = (text: string) => text.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** A part of the file that cannot be inspected (and so is refused). */
class Uncheckable extends Error {}

interface Budget {
  inflated: number;
}

/** The data of an object stream, inflated if it is Flate-compressed; other filters cannot be checked. */
function objectStreamText(data: Buffer, dict: string[], budget: Budget): string {
  const at = dict.indexOf('/Filter');
  const filters: string[] = [];
  if (at >= 0) {
    if (dict[at + 1] === '[') for (let i = at + 2; i < dict.length && dict[i] !== ']'; i++) filters.push(dict[i]!);
    else filters.push(dict[at + 1] ?? '');
  }
  let bytes = data;
  for (const filter of filters) {
    if (filter !== '/FlateDecode' || budget.inflated >= MAX_INFLATED_BYTES) throw new Uncheckable();
    try {
      // A stream cut short still yields what it holds; the cap counts all object streams together.
      bytes = inflateSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES - budget.inflated, finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      throw new Uncheckable();
    }
    budget.inflated += bytes.length;
  }
  return bytes.toString('latin1');
}

/**
 * Reads PDF syntax the way a viewer does — comments to the end of the line, literal and hex
 * strings, names, dictionaries, stream data — and calls `onName` for every name. Comment lines
 * saying `stream` or `endstream` therefore hide nothing. Object streams (`/Type /ObjStm`, or any
 * stream with `/First`) hold objects and are read the same way, decompressed within a budget.
 */
function readNames(text: string, onName: (name: string) => void, budget: Budget, inObjectStream = false): void {
  const dicts: string[][] = [];
  let lastDict: string[] | undefined;
  let afterDict = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (WHITESPACE.has(c)) {
      i++;
      continue;
    }
    const wasAfterDict: boolean = afterDict;
    afterDict = false;
    if (c === 0x25 /* % */) {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      afterDict = wasAfterDict;
    } else if (c === 0x28 /* ( */) {
      let depth = 0;
      for (; i < n; i++) {
        const s = text[i];
        if (s === '\\') i++;
        else if (s === '(') depth++;
        else if (s === ')' && --depth === 0) break;
      }
      i++;
      dicts.at(-1)?.push('()');
    } else if (c === 0x3c /* < */ && text[i + 1] === '<') {
      dicts.push([]);
      i += 2;
    } else if (c === 0x3e /* > */ && text[i + 1] === '>') {
      lastDict = dicts.pop();
      dicts.at(-1)?.push('<<>>');
      afterDict = true;
      i += 2;
    } else if (c === 0x3c) {
      const end = text.indexOf('>', i);
      i = end < 0 ? n : end + 1;
      dicts.at(-1)?.push('<>');
    } else if (c === 0x2f /* / */) {
      let j = i + 1;
      while (j < n && !WHITESPACE.has(text.charCodeAt(j)) && !DELIMITERS.has(text.charCodeAt(j))) j++;
      const name = unescapeNames(text.slice(i, j));
      onName(name.slice(1));
      dicts.at(-1)?.push(name);
      i = j;
    } else if (DELIMITERS.has(c)) {
      dicts.at(-1)?.push(text[i]!);
      i++;
    } else {
      let j = i;
      while (j < n && !WHITESPACE.has(text.charCodeAt(j)) && !DELIMITERS.has(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      i = j;
      if (word === 'stream' && wasAfterDict && lastDict) {
        // An object stream may not hold streams; one that claims to would nest without end.
        if (inObjectStream) throw new Uncheckable();
        i = skipStream(text, i, lastDict, onName, budget);
      } else {
        dicts.at(-1)?.push(word);
      }
    }
  }
}

/** Skips (or, for an object stream, reads) the data after a `stream` keyword; returns where reading goes on. */
function skipStream(text: string, at: number, dict: string[], onName: (name: string) => void, budget: Budget): number {
  let start = at;
  if (text[start] === '\r') start++;
  if (text[start] === '\n') start++;
  // The first `endstream` ends the data even if /Length says more: whatever follows it is read as
  // objects, so nothing can be hidden behind a /Length that is too long.
  const found = text.indexOf('endstream', start);
  const end = found < 0 ? text.length : found;
  const lengthAt = dict.indexOf('/Length');
  const declared = lengthAt >= 0 && dict[lengthAt + 2] !== 'R' ? Number(dict[lengthAt + 1]) : NaN;
  const dataEnd = Number.isInteger(declared) && declared >= 0 && start + declared <= end ? start + declared : end;
  const typeAt = dict.indexOf('/Type');
  if ((typeAt >= 0 && dict[typeAt + 1] === '/ObjStm') || dict.includes('/First')) {
    const data = Buffer.from(text.slice(start, dataEnd), 'latin1');
    readNames(objectStreamText(data, dict, budget), onName, budget, true);
  }
  return found < 0 ? text.length : found + 'endstream'.length;
}

/**
 * Whether a PDF carries active content, or parts that cannot be checked for it (an object stream
 * with a filter other than Flate, or one that does not decompress within the budget): both are
 * refused, since a reader's viewer would run what we could not see.
 */
export function pdfHasActiveContent(data: Buffer): boolean {
  const text = data.toString('latin1');
  if (ACTIVE_ANYWHERE.test(unescapeNames(text))) return true;
  let active = false;
  try {
    readNames(
      text,
      (name) => {
        if (ACTIVE_NAMES.has(name)) active = true;
      },
      { inflated: 0 },
    );
  } catch {
    // Uncheckable, or a file so odd that reading it failed: either way we could not see inside.
    return true;
  }
  return active;
}
