/**
 * A malformed entry of a list setting (`RATE_LIMITS`, `ROBOTS`, `SCORE_WEIGHTS`): each setting's
 * parser throws it naming the entry, and src/lib/config.ts words the refusal. A leaf module, so that
 * the parsers need not import config.ts (which imports them).
 */
export class ConfigEntryError extends Error {
  readonly entry: string;
  constructor(setting: string, entry: string) {
    super(`${setting}: "${entry}"`);
    this.entry = entry;
  }
}
