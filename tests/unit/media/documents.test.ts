import { describe, expect, it } from 'vitest';
import { samplePdf } from '../../../src/lib/articles/samplePdf.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { documentType } from '../../../src/lib/media/documents.ts';
import { contentTypes, makeDocx, makeZip } from '../../helpers/zip.ts';

const OOXML = 'application/vnd.openxmlformats-officedocument';
const MAIN = {
  docx: `${OOXML}.wordprocessingml.document.main+xml`,
  xlsx: `${OOXML}.spreadsheetml.sheet.main+xml`,
  pptx: `${OOXML}.presentationml.presentation.main+xml`,
  docm: 'application/vnd.ms-word.document.macroEnabled.main+xml',
};
const OLE = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

const type = (bytes: Buffer) => documentType(bytes, 'file')?.extension;
/** The message key and status of the refusal, or what came back instead. */
function refusal(bytes: Buffer) {
  try {
    return documentType(bytes, 'file');
  } catch (err) {
    return err instanceof UserError ? [err.key, err.status, err.field] : err;
  }
}

describe('documentType: PDF and Office Open XML by content', () => {
  it('accepts a plain PDF and each OOXML kind whose main part its directory lists', () => {
    expect(type(samplePdf(['x']))).toBe('pdf');
    expect(type(makeDocx())).toBe('docx');
    expect(type(makeZip({ '[Content_Types].xml': contentTypes({ '/xl/workbook.xml': MAIN.xlsx }), 'xl/workbook.xml': '<workbook/>' }))).toBe('xlsx');
    expect(type(makeZip({ '[Content_Types].xml': contentTypes({ '/ppt/presentation.xml': MAIN.pptx }), 'ppt/presentation.xml': '<p/>' }))).toBe('pptx');
    expect(documentType(makeDocx(), 'file')?.contentType).toBe(`${OOXML}.wordprocessingml.document`);
  });

  it('refuses a zip that merely holds [Content_Types].xml and a word/ folder', () => {
    // What report attachments used to accept: both names somewhere in the bytes.
    expect(type(makeZip({ '[Content_Types].xml': '<Types/>', 'word/evil.html': '<script>alert(1)</script>' }))).toBeUndefined();
    expect(type(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('[Content_Types].xml word/document.xml')]))).toBeUndefined();
    // A main part declared but absent from the central directory.
    expect(type(makeZip({ '[Content_Types].xml': contentTypes({ '/word/document.xml': MAIN.docx }), 'word/other.xml': '<x/>' }))).toBeUndefined();
    // Two main parts: not one document.
    expect(
      type(makeZip({ '[Content_Types].xml': contentTypes({ '/word/document.xml': MAIN.docx, '/xl/workbook.xml': MAIN.xlsx }), 'word/document.xml': '', 'xl/workbook.xml': '' })),
    ).toBeUndefined();
    expect(type(makeZip({ 'readme.txt': 'just a zip' }))).toBeUndefined();
    // A part listed twice (names differ only in case): which one a reader takes is anyone's guess.
    expect(type(makeDocx({ 'Word/Document.xml': '<w:document/>' }))).toBeUndefined();
  });

  it('reads the directory at the end, not names in the data', () => {
    const docx = makeDocx();
    // Cut off the end-of-directory record: the local headers still name every part.
    expect(type(docx.subarray(0, docx.length - 22))).toBeUndefined();
    // A directory that points past the end of the file.
    const broken = Buffer.from(docx);
    broken.writeUInt32LE(docx.length, docx.length - 6);
    expect(type(broken)).toBeUndefined();
  });

  it('refuses a [Content_Types].xml that inflates beyond a megabyte', () => {
    const padded = makeZip({ '[Content_Types].xml': contentTypes({ '/word/document.xml': MAIN.docx }) + ' '.repeat(2 * 1024 * 1024), 'word/document.xml': '' });
    expect(type(padded)).toBeUndefined();
  });

  it('refuses documents with macros or ActiveX, whatever the file is called', () => {
    const macros = ['media.officeMacros', 415, 'file'];
    expect(refusal(makeDocx({ 'word/vbaProject.bin': 'VBA' }))).toEqual(macros);
    expect(refusal(makeDocx({ 'word/VBAPROJECT.BIN': 'VBA' }))).toEqual(macros);
    expect(refusal(makeDocx({ 'word/activeX/activeX1.bin': 'control' }))).toEqual(macros);
    expect(refusal(makeZip({ '[Content_Types].xml': contentTypes({ '/word/document.xml': MAIN.docm }), 'word/document.xml': '' }))).toEqual(macros);
  });

  it('refuses legacy OLE Office files and active PDFs with their own reasons', () => {
    expect(refusal(OLE)).toEqual(['media.officeLegacy', 415, 'file']);
    expect(refusal(Buffer.from('%PDF-1.4\n1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj\n'))).toEqual(['media.pdfActive', 415, 'file']);
  });

  it('knows nothing else', () => {
    expect(type(Buffer.from('<html><script>alert(1)</script>'))).toBeUndefined();
    expect(type(Buffer.from('MZ\x90\x00'))).toBeUndefined();
    expect(type(Buffer.alloc(0))).toBeUndefined();
  });
});
