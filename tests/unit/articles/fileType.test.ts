import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { looksLikeImage } from '../../../src/lib/articles/fileType.ts';
import { LIBRARY_MAX_BYTES, prepareDocument, prepareLibraryUpload } from '../../../src/lib/articles/library.ts';
import { samplePdf } from '../../../src/lib/articles/samplePdf.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { hasGps, plainPng, pngBomb, sidewaysJpegWithGps } from '../../helpers/images.ts';
import { makeDocx } from '../../helpers/zip.ts';

const bytes = (...values: (number | string)[]) => Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));
const OLE = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 'compound file');

async function refusal(run: () => unknown) {
  try {
    await run();
  } catch (err) {
    return err instanceof UserError ? [err.key, err.status, err.field] : err;
  }
  return undefined;
}

describe('looksLikeImage', () => {
  it('sends PNG, JPEG and WebP signatures to the image pipeline, nothing else', () => {
    expect(looksLikeImage(bytes(0x89, 'PNG\r\n', 0x1a, '\n', 'rest'))).toBe(true);
    expect(looksLikeImage(bytes(0xff, 0xd8, 0xff, 0xe0, 'JFIF'))).toBe(true);
    expect(looksLikeImage(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe(true);
    expect(looksLikeImage(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '))).toBe(false);
    expect(looksLikeImage(bytes('GIF89a'))).toBe(false);
    expect(looksLikeImage(samplePdf(['x']))).toBe(false);
  });
});

describe('library uploads', () => {
  it('refuses a missing, empty, too large or unknown file on the file field', async () => {
    expect(await refusal(() => prepareLibraryUpload(undefined))).toEqual(['validation.library.fileMissing', 400, 'file']);
    expect(await refusal(() => prepareLibraryUpload({ name: 'a.pdf', bytes: Buffer.alloc(0) }))).toEqual(['validation.library.fileMissing', 400, 'file']);
    const huge = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(LIBRARY_MAX_BYTES)]);
    expect(await refusal(() => prepareLibraryUpload({ name: 'big.pdf', bytes: huge }))).toEqual(['validation.library.tooLarge', 413, 'file']);
    expect(await refusal(() => prepareLibraryUpload({ name: 'x.pdf', bytes: Buffer.from('plain text') }))).toEqual(['validation.library.fileType', 415, 'file']);
    const scripted = Buffer.from('%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n');
    expect(await refusal(() => prepareLibraryUpload({ name: 'x.pdf', bytes: scripted }))).toEqual(['media.pdfActive', 415, 'file']);
    expect(await refusal(() => prepareLibraryUpload({ name: '旧表格.xls', bytes: OLE }))).toEqual(['media.officeLegacy', 415, 'file']);
    expect(await refusal(() => prepareLibraryUpload({ name: 'a.docx', bytes: makeDocx({ 'word/vbaProject.bin': 'VBA' }) }))).toEqual(['media.officeMacros', 415, 'file']);
  });

  it('refuses image bombs, header-only, truncated and HTML-carrying JPEGs as the photo pipeline does', async () => {
    const bomb = await pngBomb();
    expect(await refusal(() => prepareLibraryUpload({ name: 'bomb.png', bytes: bomb }))).toEqual(['media.tooManyPixels', 413, 'file']);
    const png = await plainPng(64, 48);
    // The signature and IHDR only: a header that promises pixels it never delivers.
    expect(await refusal(() => prepareLibraryUpload({ name: 'head.png', bytes: png.subarray(0, 33) }))).toEqual(['media.notImage', 415, 'file']);
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#4080c0' } })
      .jpeg()
      .toBuffer();
    expect(await refusal(() => prepareLibraryUpload({ name: 'cut.jpg', bytes: jpeg.subarray(0, 200) }))).toEqual(['media.notImage', 415, 'file']);
    const jpegHtml = bytes(0xff, 0xd8, 0xff, 0xe0, `<html><script>alert('XSS')</script></html>`);
    expect(await refusal(() => prepareLibraryUpload({ name: 'x.jpg', bytes: jpegHtml }))).toEqual(['media.notImage', 415, 'file']);
  });

  it('keeps an image only as metadata-free WebP variants, named .webp', async () => {
    const upload = await prepareLibraryUpload({ name: '田间/照片.jpg', bytes: await sidewaysJpegWithGps() });
    if (upload.kind !== 'image') throw new Error('expected an image');
    expect(upload.filename).toBe('照片.webp');
    const largest = upload.image.variants.at(-1)!.data;
    const meta = await sharp(largest).metadata();
    expect([meta.format, meta.width, meta.height, hasGps(meta.exif)]).toEqual(['webp', 200, 400, false]);
    // A PNG with an HTML page after IEND comes out as a picture and nothing else.
    const polyglot = Buffer.concat([await plainPng(16, 16), Buffer.from('<html><script>alert(1)</script></html>')]);
    const cleaned = await prepareLibraryUpload({ name: 'p.png', bytes: polyglot });
    if (cleaned.kind !== 'image') throw new Error('expected an image');
    expect(cleaned.image.variants.every((v) => !v.data.includes('<script'))).toBe(true);
  });

  it('cleans a document name and gives it the extension the content proved', () => {
    expect(prepareDocument({ name: '..\\..\\小麦"技术".exe', bytes: samplePdf(['x']) })).toMatchObject({
      kind: 'document',
      contentType: 'application/pdf',
      filename: '小麦技术.pdf',
    });
    expect(prepareDocument({ name: '', bytes: makeDocx() })).toMatchObject({ filename: 'file.docx' });
  });
});
