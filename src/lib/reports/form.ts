import { formFields } from '../validation/formFields.ts';
import { prepareUploads } from '../media/upload.ts';
import { prepareAttachments } from './attachments.ts';
import type { FileReportInput } from './index.ts';

/** Reads the report form (multipart): text fields, photos and documents, all checked before storing. */
export async function reportFormInput(form: FormData): Promise<FileReportInput> {
  return {
    fields: formFields(form),
    uploads: await prepareUploads(form, 'photos'),
    attachments: await prepareAttachments(form, 'attachments'),
  };
}
