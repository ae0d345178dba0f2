/** Upload limits shared by the server config, the middleware and the media module. */
export const MAX_PHOTOS = 6;
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
/** Six full-size photos plus the form's text fields. */
export const MAX_BODY_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 2 * 1024 * 1024;
