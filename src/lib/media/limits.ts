/** Photo limits of one form: the media module enforces them, the forms announce them. */
export const MAX_PHOTOS = 6;
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
