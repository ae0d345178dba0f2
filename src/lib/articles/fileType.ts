import { inflateRawSync } from 'node:zlib';

/** What an upload really is, decided from its bytes, never from the name or type the browser sent. */
export interface FileType {
  contentType: string;
  extension: string;
  /** Images are shown inline; everything else downloads. */
  inline: boolean;
}

const PDF: FileType = { contentType: 'application/pdf', extension: 'pdf', inline: false };
const PNG: FileType = { contentType: 'image/png', extension: 'png', inline: true };
const JPEG: FileType = { contentType: 'image/jpeg', extension: 'jpg', inline: true };
const WEBP: FileType = { contentType: 'image/webp', extension: 'webp', inline: true };

/** OOXML packages: the main part each declares in [Content_Types].xml. */
const OOXML: { mainPart: string; type: FileType }[] = [
  {
    mainPart: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    type: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', inline: false },
  },
  {
    mainPart: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    type: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', inline: false },
  },
  {
    mainPart: 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
    type: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx', inline: false },
  },
];

/** Legacy Office files share one container (OLE); the name's extension says which program made it. */
const OLE_BY_EXTENSION: Record<string, FileType> = {
  doc: { contentType: 'application/msword', extension: 'doc', inline: false },
  xls: { contentType: 'application/vnd.ms-excel', extension: 'xls', inline: false },
  ppt: { contentType: 'application/vnd.ms-powerpoint', extension: 'ppt', inline: false },
};

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The [Content_Types].xml text of a zip file, read through its central directory; undefined if absent or broken. */
function zipContentTypes(bytes: Buffer): string | undefined {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > bytes.length) return undefined;
  const entries = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries && at + 46 <= bytes.length; i++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) return undefined;
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localHeader = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    if (name === '[Content_Types].xml') {
      if (localHeader + 30 > bytes.length || bytes.readUInt32LE(localHeader) !== 0x04034b50) return undefined;
      const start = localHeader + 30 + bytes.readUInt16LE(localHeader + 26) + bytes.readUInt16LE(localHeader + 28);
      const data = bytes.subarray(start, start + compressedSize);
      try {
        if (method === 0) return data.toString('utf8');
        if (method === 8) return inflateRawSync(data, { maxOutputLength: 1024 * 1024 }).toString('utf8');
      } catch {
        return undefined;
      }
      return undefined;
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  return undefined;
}

/** Decides the type of an upload from its content; undefined when it is not a kind the library accepts. */
export function sniffFileType(bytes: Buffer, filename: string): FileType | undefined {
  if (startsWith(bytes, ascii('%PDF-'))) return PDF;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return WEBP;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const types = zipContentTypes(bytes);
    return types === undefined ? undefined : OOXML.find((o) => types.includes(o.mainPart))?.type;
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return OLE_BY_EXTENSION[filename.split('.').pop()?.toLowerCase() ?? ''];
  }
  return undefined;
}
