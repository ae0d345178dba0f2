import { MAX_PHOTO_BYTES, MAX_PHOTOS } from '../media/limits.ts';

/** Six full-size photos plus the form's text fields: the server config and the middleware cap bodies at this. */
export const MAX_BODY_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 2 * 1024 * 1024;
