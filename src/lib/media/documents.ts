import { inflateRawSync } from 'node:zlib';
import { UserError } from '../errors.ts';
import { pdfHasActiveContent } from './pdf.ts';

/** What an upload really is, decided from its bytes, never from the name or type the browser sent. */
export interface FileType {
  contentType: string;
  extension: string;
}

const PDF: FileType = { contentType: 'application/pdf', extension: 'pdf' };

/** OOXML packages by the content type of their main part in [Content_Types].xml. */
const OOXML_MAIN_PARTS: Record<string, FileType> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml': {
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extension: 'pptx',
  },
};

/**
 * Parts that carry code: VBA projects (also inside a `.docx` renamed from `.docm`), their data,
 * and ActiveX controls. Their content types name them too (`macroEnabled`, `vbaProject`, `activeX`).
 */
const CODE_PART = /(?:^|\/)(?:vbaProject\.bin|vbaData\.xml|activeX\/)/i;
const CODE_CONTENT_TYPE = /macroEnabled|vbaProject|vbaData|activeX/i;

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** [Content_Types].xml of a real document is a few kilobytes. */
const MAX_CONTENT_TYPES_BYTES = 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeader: number;
}

/**
 * The entries a zip's central directory lists — what Office reads — or undefined when the
 * directory is missing, truncated, points outside the file, or needs ZIP64 (no document here is
 * that big). Local headers alone mean nothing: a zip may carry parts its directory does not list.
 */
function zipEntries(bytes: Buffer): ZipEntry[] | undefined {
  // The end record is the last 22 bytes plus a comment of up to 65,535 bytes.
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let at = bytes.length - 22; at >= from; at--) {
    if (bytes.readUInt32LE(at) === ZIP_END && at + 22 + bytes.readUInt16LE(at + 20) === bytes.length) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff || offset + size > end) return undefined;
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== ZIP_CENTRAL) return undefined;
    const nameLength = bytes.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (next > end) return undefined;
    entries.push({
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      localHeader: bytes.readUInt32LE(at + 42),
    });
    at = next;
  }
  return entries;
}

/** The bytes of one entry (stored or deflated, at most `max` once inflated); undefined if unreadable. */
function entryData(bytes: Buffer, entry: ZipEntry, max: number): Buffer | undefined {
  const at = entry.localHeader;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== ZIP_LOCAL) return undefined;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  if (start + entry.compressedSize > bytes.length) return undefined;
  const data = bytes.subarray(start, start + entry.compressedSize);
  try {
    if (entry.method === 0) return data.length <= max ? data : undefined;
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: max });
  } catch {
    return undefined;
  }
  return undefined;
}

/** The attributes of each `<Override …/>` or `<Default …/>` element in [Content_Types].xml. */
function contentTypeEntries(xml: string): Record<string, string>[] {
  return [...xml.matchAll(/<(?:\w+:)?(?:Override|Default)\b([^>]*)>/g)].map(([, attributes]) =>
    Object.fromEntries([...attributes!.matchAll(/([A-Za-z]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map(([, key, double, single]) => [key!, double ?? single ?? ''])),
  );
}

/**
 * An Office Open XML document, if the zip is one Office would open as such and it carries no
 * code: its [Content_Types].xml (listed in the central directory) names exactly one known main
 * part, that part is listed too, and no part or content type is a macro project or ActiveX control.
 * Throws `media.officeMacros` for a document with code; undefined for any other zip.
 */
function ooxmlType(bytes: Buffer, field: string): FileType | undefined {
  const entries = zipEntries(bytes);
  // Part names are case-insensitive; a name listed twice lets two readers see two documents.
  if (!entries || new Set(entries.map((e) => e.name.toLowerCase())).size !== entries.length) return undefined;
  const typesEntry = entries.find((e) => e.name === '[Content_Types].xml');
  const xml = typesEntry && entryData(bytes, typesEntry, MAX_CONTENT_TYPES_BYTES)?.toString('utf8');
  if (xml === undefined) return undefined;
  const declared = contentTypeEntries(xml);
  if (entries.some((e) => CODE_PART.test(e.name)) || declared.some((d) => CODE_CONTENT_TYPE.test(d.ContentType ?? ''))) {
    throw new UserError('media.officeMacros', 415, field);
  }
  const mains = declared.filter((d) => (d.ContentType ?? '') in OOXML_MAIN_PARTS);
  if (mains.length !== 1) return undefined;
  const main = mains[0]!;
  const partName = (main.PartName ?? '').replace(/^\//, '');
  if (!partName || !entries.some((e) => e.name === partName)) return undefined;
  return OOXML_MAIN_PARTS[main.ContentType!];
}

/**
 * The type of a document upload (PDF or Office Open XML) from its content; undefined for content
 * that is neither. Documents we recognise but will not pass on are refused with their own reason
 * (415 on `field`): a PDF with active content, an Office file with macros, and the legacy binary
 * Office formats (.doc, .xls, .ppt), which may carry macros we cannot check for.
 */
export function documentType(bytes: Buffer, field: string): FileType | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    if (pdfHasActiveContent(bytes)) throw new UserError('media.pdfActive', 415, field);
    return PDF;
  }
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === ZIP_LOCAL) return ooxmlType(bytes, field);
  if (bytes.subarray(0, 8).equals(OLE)) throw new UserError('media.officeLegacy', 415, field);
  return undefined;
}
