/** Whitespace and the invisible characters (zero-width space and joiners, word joiner, BOM) that only look like content. */
const BLANK = /^[\s\u180e\u200b-\u200d\u2060\ufeff]*$/;

/**
 * Text fields of a form as a plain object (files are ignored here; a repeated name counts once).
 * A value of only blanks and invisible characters is empty, so "required" means something visible.
 */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === 'string' && !(key in out)) out[key] = BLANK.test(value) ? '' : value;
  return out;
}
