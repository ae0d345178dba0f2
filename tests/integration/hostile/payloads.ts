import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';
import { today } from '../../../src/lib/time.ts';
import { plainPng, pngBomb } from '../../helpers/images.ts';
import { makeDocx, makeZip } from '../../helpers/zip.ts';

/**
 * Hostile values, grouped by family. Every script payload names `XSS` so that a stray copy in a
 * page or the database is easy to find; none of them may ever come back out as live markup.
 */
export const XSS = {
  script: `<script>alert('XSS')</script>`,
  imgOnerror: `<img src=x onerror=alert('XSS')>`,
  attrBreakout: `"><svg onload=alert('XSS')>`,
  singleQuoteBreakout: `' onmouseover='alert(1)' data-x='XSS`,
  svgScript: `<svg><script>alert('XSS')</script></svg>`,
  iframe: `<iframe srcdoc="<script>alert('XSS')</script>"></iframe>`,
  jsUrl: `javascript:alert('XSS')`,
  mdLink: `[点击领取补贴](javascript:alert('XSS'))`,
  mdLinkMixedCase: `[x](JaVaScRiPt:alert('XSS'))`,
  mdLinkEntity: `[x](&#106;avascript:alert('XSS'))`,
  mdDataUrl: `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=)`,
  mdImage: `![XSS](javascript:alert('XSS'))`,
  mdForeignImage: `![XSS](https://evil.example/track.png "x\\" onerror=\\"alert('XSS')")`,
  mdRawHtml: `正文<a href="javascript:alert('XSS')">链接</a><img src=x onerror=alert('XSS')>`,
  mdAutolink: `<javascript:alert('XSS')>`,
  /** markdown-it's own check lets data:image links through. */
  mdDataImageLink: `[XSS](data:image/png;base64,iVBORw0KGgo=)`,
  /** An image that makes every reader's browser request another page of the site. */
  mdMediaClimb: `![XSS](/media/../admin/users)`,
} as const;

export const SQL = {
  or: `' OR 1=1 --`,
  drop: `1; DROP TABLE listings; --`,
  like: `%' --`,
  union: `1' UNION SELECT password_hash FROM users --`,
  quote: `" OR ""="`,
} as const;

/** Overlong values: far beyond every field's limit, up to a megabyte. */
export const LONG = {
  k10: 'a'.repeat(10_000),
  k100: '乡'.repeat(100_000),
  m1: 'x'.repeat(1_000_000),
} as const;

/** Values that look filled in but say nothing. */
export const BLANK = {
  empty: '',
  spaces: '   ',
  ideographic: '\u3000\u3000',
  zeroWidth: '\u200b\u200b\u200b',
  mixedInvisible: '\u200b \u2060\ufeff\u200d',
  controls: '\t\r\n',
} as const;

/** Numbers and dates that are not what a form means by a number or a date. */
export const WRONG = {
  nan: 'NaN',
  infinity: 'Infinity',
  huge: '1e309',
  negative: '-1',
  hex: '0x10',
  fraction: '1.5',
  text: '三块五',
  feb30: '2026-02-30',
  month13: '2026-13-01',
  farFuture: '9999-12-31',
  farPast: '0001-01-01',
} as const;

/** Path segments for `[id]`-style routes that must all be a plain 404. */
export const BAD_IDS = ['0', '-1', '1e9', '0x10', '%00', '1%2F..%2F..', '9'.repeat(40), '%E4%B9%A1', '..%2F..%2Fetc%2Fpasswd', '1.5'] as const;

/** A urlencoded body with bytes that are not UTF-8 (a lone continuation byte and an overlong NUL). */
export function invalidUtf8Form(fields: Record<string, string>, field: string): Buffer {
  const parts = Object.entries(fields)
    .filter(([k]) => k !== field)
    .map(([k, v]) => Buffer.from(`${encodeURIComponent(k)}=${encodeURIComponent(v)}&`));
  return Buffer.concat([...parts, Buffer.from(`${field}=`), Buffer.from([0x80, 0xc0, 0x80, 0xff, 0xfe])]);
}

/** A multipart body written by hand, with a raw non-UTF-8 value in `field`. */
export function invalidUtf8Multipart(fields: Record<string, string>, field: string): { body: Buffer; contentType: string } {
  const boundary = '----hostile7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n`));
    chunks.push(k === field ? Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]) : Buffer.from(v));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A JPEG whose frame header claims 30000×30000 pixels. */
async function jpegBomb(): Promise<Buffer> {
  const jpeg = Buffer.from(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer(),
  );
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(30000, sof + 5);
  jpeg.writeUInt16BE(30000, sof + 7);
  return jpeg;
}

/** A valid PNG with an HTML page after its end: an image to a decoder, a page to a sniffing browser. */
async function pngWithHtmlAfterIend(): Promise<Buffer> {
  return Buffer.concat([await plainPng(16, 16), Buffer.from(`<html><body><script>alert('XSS')</script></body></html>`)]);
}

/** Recomputes the CRC of the PNG chunk at `at` after its data was edited in place. */
function withChunkCrc(png: Buffer, at: number, length: number): Buffer {
  png.writeUInt32BE(crc32(png.subarray(at + 4, at + 8 + length)), at + 8 + length);
  return png;
}

const SVG_SCRIPT = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert('XSS')</script><rect width="10" height="10"/></svg>`;
const PDF_JS = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n3 0 obj << /S /JavaScript /JS (app.alert\\('XSS'\\)) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
const PDF_LAUNCH = `%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
/** The filter bypass the penetration test found: comment lines saying `stream` and `endstream` around the script. */
const PDF_COMMENT_STREAM = `%PDF-1.4\n% stream\n1 0 obj << /Type /Catalog /OpenAction 3 0 R >> endobj\n3 0 obj << /S /JavaScript /JS (app.alert\\('XSS'\\)) >> endobj\n% endstream\ntrailer << /Root 1 0 R >>\n%%EOF\n`;

/** A PDF 1.5 whose script action sits in a Flate-compressed object stream, its name #-escaped. */
function pdfScriptInObjectStream(): Buffer {
  const packed = deflateSync(Buffer.from(`3 0 << /S /J#61vaScript /JS (app.alert\\('XSS'\\)) >>`, 'latin1'));
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.5\n1 0 obj << /Type /Catalog /OpenAction 3 0 R >> endobj\n5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`,
      'latin1',
    ),
    packed,
    Buffer.from('\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'),
  ]);
}

/** Files that are not what they claim to be, built in memory (no fixtures on disk). */
export async function hostileFiles() {
  const png = await plainPng(16, 16);
  const truncatedJpeg = (
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#4080c0' } })
      .jpeg()
      .toBuffer()
  ).subarray(0, 200);
  // IHDR is the chunk at byte 8 with 13 bytes of data; its width is the first 4 of them.
  const zeroWidthPng = Buffer.from(png);
  zeroWidthPng.writeUInt32BE(0, 16);
  return {
    pngBomb: await pngBomb(),
    jpegBomb: await jpegBomb(),
    zeroWidthPng: withChunkCrc(zeroWidthPng, 8, 13),
    gifHtml: Buffer.from(`GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=0;<script>alert('XSS')</script>`, 'latin1'),
    jpegHtml: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`<html><script>alert('XSS')</script></html>`)]),
    svg: Buffer.from(SVG_SCRIPT),
    zip: makeZip({ 'evil.html': `<script>alert('XSS')</script>` }),
    truncatedJpeg,
    html: Buffer.from(`<!doctype html><script>alert('XSS')</script>`),
    pdfJs: Buffer.from(PDF_JS),
    pdfLaunch: Buffer.from(PDF_LAUNCH),
    pdfCommentStream: Buffer.from(PDF_COMMENT_STREAM),
    pdfObjectStream: pdfScriptInObjectStream(),
    /** A legacy Office (OLE compound) file: may carry macros nobody here can check. */
    ole: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]),
    docxMacros: makeDocx({ 'word/vbaProject.bin': 'Attribute VB_Name = "XSS"' }),
    /** Both names attachments used to look for, and no declared main part: an HTML page in a zip. */
    fakeOoxml: makeZip({ '[Content_Types].xml': '<Types/>', 'word/evil.html': `<script>alert('XSS')</script>` }),
    pngHtml: await pngWithHtmlAfterIend(),
    empty: Buffer.alloc(0),
    exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)]),
    validPng: png,
    validPdf: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    validCsv: Buffer.from(`日期,市场,品名,均价\n${today()},梁园区农贸市场（测试）,小麦,1.3\n`),
    xssCsv: Buffer.from(`日期,市场,品名,品种,均价,来源\n${today()},${XSS.imgOnerror},"${XSS.attrBreakout.replace(/"/g, '""')}",${XSS.script},1.3,${XSS.jsUrl}\n`),
  };
}
export type HostileFiles = Awaited<ReturnType<typeof hostileFiles>>;
