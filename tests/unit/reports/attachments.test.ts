import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES, prepareAttachment, safeFilename, sniffDocument } from '../../../src/lib/reports/attachments.ts';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/** The start of a zip holding an Office Open XML document: a local header, then part names. */
const ooxml = (part: string) => Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from(`[Content_Types].xml ${part}document.xml`)]);
const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

describe('report attachments', () => {
  it('recognises PDF, Office Open XML and legacy Office files by content', () => {
    expect(sniffDocument(pdf, 'x.bin')).toEqual({ mime: 'application/pdf', ext: 'pdf' });
    expect(sniffDocument(ooxml('word/'), 'a.docx')?.ext).toBe('docx');
    expect(sniffDocument(ooxml('xl/'), 'a.bin')?.ext).toBe('xlsx');
    expect(sniffDocument(ooxml('ppt/'), 'a')?.ext).toBe('pptx');
    expect(sniffDocument(ole, '报表.XLS')).toEqual({ mime: 'application/vnd.ms-excel', ext: 'xls' });
    expect(sniffDocument(ole, 'noname')?.ext).toBe('doc');
  });

  it('refuses other content whatever its name', () => {
    expect(sniffDocument(Buffer.from('<html><script>alert(1)</script>'), 'report.pdf')).toBeUndefined();
    expect(sniffDocument(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('evil.exe')]), 'a.docx')).toBeUndefined();
    expect(() => prepareAttachment(Buffer.from('MZ\x90\x00'), 'a.pdf')).toThrow(/reports.attachmentType/);
    expect(() => prepareAttachment(Buffer.alloc(0), 'a.pdf')).toThrow(/media.empty/);
    expect(() => prepareAttachment(Buffer.from('%PDF-1.4\n1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj\n'), 'a.pdf')).toThrow(/media.pdfActive/);
    expect(() => prepareAttachment(Buffer.concat([pdf, Buffer.alloc(MAX_ATTACHMENT_BYTES)]), 'a.pdf')).toThrow(/reports.attachmentTooLarge/);
  });

  it('offers a safe download name with the detected extension', () => {
    expect(safeFilename('C:\\Users\\x\\灾情统计.pdf', 'pdf')).toBe('灾情统计.pdf');
    expect(safeFilename('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(safeFilename('a"b\u0000c.exe', 'docx')).toBe('abc.docx');
    expect(safeFilename('', 'pdf')).toBe('attachment.pdf');
    expect(prepareAttachment(pdf, '简报.pdf')).toMatchObject({ filename: '简报.pdf', mime: 'application/pdf', bytes: pdf.length });
  });
});
