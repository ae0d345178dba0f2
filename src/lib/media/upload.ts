import { UserError } from '../errors.ts';
import { MAX_PHOTOS } from './limits.ts';
import { prepareImage, type PreparedImage } from './images.ts';

/**
 * The files chosen in a form's file input, each checked and converted in memory. An empty file
 * input submits one nameless empty part: that is "no file", not an error.
 */
export async function prepareUploads(form: FormData, field: string, max = MAX_PHOTOS): Promise<PreparedImage[]> {
  const files = form.getAll(field).filter((f): f is File => typeof f !== 'string' && (f.size > 0 || f.name !== ''));
  if (files.length > max) throw new UserError('media.tooManyPhotos', 400, field);
  const prepared: PreparedImage[] = [];
  for (const file of files) prepared.push(await prepareImage(Buffer.from(await file.arrayBuffer())));
  return prepared;
}
