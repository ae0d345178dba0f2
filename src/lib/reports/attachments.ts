import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { pdfHasActiveContent } from '../media/pdf.ts';
import { mediaDir, writeFileAtomic } from '../media/store.ts';
import type { Attachment } from './types.ts';

export const MAX_ATTACHMENTS = 3;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from('PK\x03\x04', 'latin1');
const OOXML_PARTS: [string, string, string][] = [
  ['word/', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['xl/', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['ppt/', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'],
];
const OLE_TYPES: Record<string, string> = { doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint' };

/** A checked upload, not yet written anywhere. */
export interface PreparedAttachment extends Attachment {
  data: Buffer;
}

/**
 * The document type by content: PDF (%PDF), Office Open XML (a zip with [Content_Types].xml and a
 * word/, xl/ or ppt/ part) or legacy Office (an OLE compound file). Undefined for anything else.
 */
export function sniffDocument(data: Buffer, filename: string): { mime: string; ext: string } | undefined {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return { mime: 'application/pdf', ext: 'pdf' };
  if (data.subarray(0, 4).equals(ZIP) && data.includes('[Content_Types].xml')) {
    const part = OOXML_PARTS.find(([prefix]) => data.includes(prefix));
    return part && { mime: part[1], ext: part[2] };
  }
  if (data.subarray(0, 8).equals(OLE)) {
    // An OLE file does not say cheaply which program wrote it; the name's extension picks the label.
    const ext = /\.(doc|xls|ppt)$/i.exec(filename)?.[1]?.toLowerCase() ?? 'doc';
    return { mime: OLE_TYPES[ext]!, ext };
  }
  return undefined;
}

/** A name safe to offer for download: no path, no control characters, the detected extension. */
export function safeFilename(name: string, ext: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').replace(/\.[A-Za-z0-9]{1,5}$/, '').trim().slice(0, 80);
  return `${base || 'attachment'}.${ext}`;
}

export function prepareAttachment(data: Buffer, filename: string): PreparedAttachment {
  if (data.length === 0) throw new UserError('media.empty', 400, 'attachments');
  if (data.length > MAX_ATTACHMENT_BYTES) throw new UserError('reports.attachmentTooLarge', 413, 'attachments');
  const type = sniffDocument(data, filename);
  if (!type) throw new UserError('reports.attachmentType', 415, 'attachments');
  if (type.ext === 'pdf' && pdfHasActiveContent(data)) throw new UserError('media.pdfActive', 415, 'attachments');
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { sha256, filename: safeFilename(filename, type.ext), mime: type.mime, bytes: data.length, data };
}

/** The documents chosen in a form's file input, each checked by content before anything is stored. */
export async function prepareAttachments(form: FormData, field: string): Promise<PreparedAttachment[]> {
  const files = form.getAll(field).filter((f): f is File => typeof f !== 'string' && (f.size > 0 || f.name !== ''));
  if (files.length > MAX_ATTACHMENTS) throw new UserError('reports.tooManyAttachments', 400, field);
  const prepared: PreparedAttachment[] = [];
  for (const file of files) prepared.push(prepareAttachment(Buffer.from(await file.arrayBuffer()), file.name));
  return prepared;
}

export function attachmentPath(sha256: string): string {
  return join(mediaDir(), 'attachments', sha256.slice(0, 2), sha256);
}

export function storeAttachment(file: PreparedAttachment): void {
  writeFileAtomic(attachmentPath(file.sha256), file.data);
}

export function readAttachment(sha256: string): Promise<Buffer> {
  return readFile(attachmentPath(sha256));
}
