import { formFields } from '../validation/formFields.ts';
import { prepareUploads } from '../media/upload.ts';
import type { SaveListingInput } from './index.ts';

/** Reads the listing form (multipart): text fields, photos to keep, new photos and the intent. */
export async function listingFormInput(form: FormData): Promise<SaveListingInput> {
  const fields = formFields(form);
  return {
    villageCode: fields.villageCode,
    fields,
    keep: form.getAll('keep').filter((k): k is string => typeof k === 'string'),
    uploads: await prepareUploads(form, 'photos'),
    intent: fields.intent === 'submit' ? 'submit' : 'draft',
  };
}
