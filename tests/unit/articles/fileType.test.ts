import { describe, expect, it } from 'vitest';
import { sniffFileType } from '../../../src/lib/articles/fileType.ts';
import { checkUpload, LIBRARY_MAX_BYTES } from '../../../src/lib/articles/library.ts';
import { samplePdf } from '../../../src/lib/articles/samplePdf.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { makeDocx, makeZip } from '../../helpers/zip.ts';

const bytes = (...values: (number | string)[]) =>
  Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));
const PNG = bytes(0x89, 'PNG\r\n', 0x1a, '\n', 'rest of image');
const OLE = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 'compound file');

const type = (b: Buffer, name = 'x') => sniffFileType(b, name)?.contentType;

describe('sniffFileType decides by content', () => {
  it('recognises PDF and the image formats whatever the name says', () => {
    expect(type(samplePdf(['hello']), 'notes.txt')).toBe('application/pdf');
    expect(type(PNG, 'photo.jpg')).toBe('image/png');
    expect(type(bytes(0xff, 0xd8, 0xff, 0xe0, 'JFIF'))).toBe('image/jpeg');
    expect(type(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
  });

  it('accepts an OOXML zip only with the right [Content_Types].xml entry', () => {
    expect(type(makeDocx(), 'report.docx')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(type(makeZip({ 'readme.txt': 'just a zip' }), 'report.docx')).toBeUndefined();
    expect(type(makeZip({ '[Content_Types].xml': '<Types/>' }), 'report.xlsx')).toBeUndefined();
  });

  it('names legacy OLE Office files by extension and refuses other OLE files', () => {
    expect(type(OLE, '旧表格.XLS')).toBe('application/vnd.ms-excel');
    expect(type(OLE, 'letter.doc')).toBe('application/msword');
    expect(type(OLE, 'setup.msi')).toBeUndefined();
  });

  it('refuses HTML, scripts, executables and a RIFF that is not WebP', () => {
    expect(type(Buffer.from('<html><script>alert(1)</script>'), 'page.pdf')).toBeUndefined();
    expect(type(bytes('MZ', 0x90, 0), 'tool.png')).toBeUndefined();
    expect(type(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '), 'a.webp')).toBeUndefined();
    expect(type(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('checkUpload', () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      return err instanceof UserError ? [err.key, err.status, err.field] : err;
    }
    return undefined;
  };

  it('refuses a missing, empty, too large or unknown file on the file field', () => {
    expect(refusal(() => checkUpload(undefined))).toEqual(['validation.library.fileMissing', 400, 'file']);
    expect(refusal(() => checkUpload({ name: 'a.pdf', bytes: Buffer.alloc(0) }))).toEqual(['validation.library.fileMissing', 400, 'file']);
    const huge = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(LIBRARY_MAX_BYTES)]);
    expect(refusal(() => checkUpload({ name: 'big.pdf', bytes: huge }))).toEqual(['validation.library.tooLarge', 413, 'file']);
    expect(refusal(() => checkUpload({ name: 'x.pdf', bytes: Buffer.from('plain text') }))).toEqual(['validation.library.fileType', 415, 'file']);
    const scripted = Buffer.from('%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n');
    expect(refusal(() => checkUpload({ name: 'x.pdf', bytes: scripted }))).toEqual(['media.pdfActive', 415, 'file']);
  });

  it('cleans the file name and gives it the extension the content proved', () => {
    expect(checkUpload({ name: '..\\..\\小麦"技术".exe', bytes: samplePdf(['x']) })).toEqual({ contentType: 'application/pdf', filename: '小麦技术.pdf' });
    expect(checkUpload({ name: '', bytes: PNG }).filename).toBe('file.png');
  });
});
