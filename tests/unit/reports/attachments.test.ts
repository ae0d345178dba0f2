import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES, prepareAttachment, safeFilename } from '../../../src/lib/reports/attachments.ts';
import { contentTypes, makeDocx, makeZip } from '../../helpers/zip.ts';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';

describe('report attachments', () => {
  it('accepts PDF and Office Open XML by content, named by what they are', () => {
    expect(prepareAttachment(pdf, 'x.bin')).toMatchObject({ mime: 'application/pdf', filename: 'x.pdf' });
    expect(prepareAttachment(makeDocx(), 'a.docx')).toMatchObject({ filename: 'a.docx' });
    const xlsx = makeZip({ '[Content_Types].xml': contentTypes({ '/xl/workbook.xml': XLSX_MAIN }), 'xl/workbook.xml': '<workbook/>' });
    expect(prepareAttachment(xlsx, '报表.bin')).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: '报表.xlsx' });
  });

  it('refuses other content whatever its name', () => {
    expect(() => prepareAttachment(Buffer.from('<html><script>alert(1)</script>'), 'report.pdf')).toThrow(/reports.attachmentType/);
    // Any zip holding the two names used to pass as a Word document.
    expect(() => prepareAttachment(makeZip({ '[Content_Types].xml': '<Types/>', 'word/x.html': '<script>alert(1)</script>' }), 'a.docx')).toThrow(/reports.attachmentType/);
    expect(() => prepareAttachment(makeDocx({ 'word/vbaProject.bin': 'VBA' }), 'a.docx')).toThrow(/media.officeMacros/);
    expect(() => prepareAttachment(ole, '报表.XLS')).toThrow(/media.officeLegacy/);
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
