import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { documentType } from '../media/documents.ts';
import { mediaDir, writeFileAtomic } from '../media/store.ts';
import type { Attachment } from './types.ts';

export const MAX_ATTACHMENTS = 3;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** A checked upload, not yet written anywhere. */
export interface PreparedAttachment extends Attachment {
  data: Buffer;
}

/** A name safe to offer for download: no path, no control characters, the detected extension. */
export function safeFilename(name: string, ext: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .trim()
    .slice(0, 80);
  return `${base || 'attachment'}.${ext}`;
}

export function prepareAttachment(data: Buffer, filename: string): PreparedAttachment {
  if (data.length === 0) throw new UserError('media.empty', 400, 'attachments');
  if (data.length > MAX_ATTACHMENT_BYTES) throw new UserError('reports.attachmentTooLarge', 413, 'attachments');
  const type = documentType(data, 'attachments');
  if (!type) throw new UserError('reports.attachmentType', 415, 'attachments');
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { sha256, filename: safeFilename(filename, type.extension), mime: type.contentType, bytes: data.length, data };
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
