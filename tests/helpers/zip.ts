import { crc32, deflateRawSync } from 'node:zlib';

/** A little-endian record of `size` bytes with each [offset, width, value] written in. */
function record(size: number, fields: [number, 2 | 4, number][]): Buffer {
  const out = Buffer.alloc(size);
  for (const [at, width, value] of fields) {
    if (width === 2) out.writeUInt16LE(value, at);
    else out.writeUInt32LE(value, at);
  }
  return out;
}

/** A minimal zip file (deflated entries, central directory) for upload tests: OOXML is a zip. */
export function makeZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = record(30, [
      [0, 4, 0x04034b50],
      [4, 2, 20],
      [8, 2, 8],
      [14, 4, crc],
      [18, 4, packed.length],
      [22, 4, data.length],
      [26, 2, nameBytes.length],
    ]);
    const central = record(46, [
      [0, 4, 0x02014b50],
      [4, 2, 20],
      [6, 2, 20],
      [10, 2, 8],
      [16, 4, crc],
      [20, 4, packed.length],
      [24, 4, data.length],
      [28, 2, nameBytes.length],
      [42, 4, offset],
    ]);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const count = Object.keys(entries).length;
  const end = record(22, [
    [0, 4, 0x06054b50],
    [8, 2, count],
    [10, 2, count],
    [12, 4, directory.length],
    [16, 4, offset],
  ]);
  return Buffer.concat([...locals, directory, end]);
}

const WORD_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';

/** A [Content_Types].xml declaring each part name with its content type. */
export function contentTypes(overrides: Record<string, string>): string {
  const entries = Object.entries(overrides).map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`);
  return `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>${entries.join('')}</Types>`;
}

/** A .docx as far as content sniffing is concerned, with any further parts. */
export function makeDocx(extra: Record<string, string> = {}): Buffer {
  return makeZip({ '[Content_Types].xml': contentTypes({ '/word/document.xml': WORD_MAIN }), 'word/document.xml': '<w:document/>', ...extra });
}
