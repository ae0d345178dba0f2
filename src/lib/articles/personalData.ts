/**
 * The personal-data guard of grassroots articles (docs/ARTICLES.md): a subsidy list may name
 * people (the law requires it) but must never publish an ID-card number, a bank card number or a
 * private mobile number. Only numbers that are really such numbers are refused — an ID number
 * with a valid check digit, a card number passing Luhn — so amounts and dates pass.
 */

export const PERSONAL_DATA = ['idCard', 'bankCard', 'mobile'] as const;
export type PersonalData = (typeof PERSONAL_DATA)[number];

/** Where a number was found: the form field, its line (1-based; a table's row number) and what it is. */
export interface PersonalDataHit {
  field: string;
  line: number;
  what: PersonalData;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643: 17 digits and a check character (0–9 or X) computed from them. */
export function isIdCardNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(value)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  return ID_CHECK[sum % 11] === value[17]!.toUpperCase();
}

/** Bank card numbers: 16 to 19 digits passing the Luhn check. */
export function isBankCardNumber(value: string): boolean {
  if (!/^\d{16,19}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    let d = Number(value[value.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Runs of digits, allowing the single spaces or dashes people write cards and phones with; an ID
// number may end in X. Letters or digits next to a run make it part of something longer.
const NUMBER_RUN = /(?<![\dA-Za-z])(?:\+?86[ -]?)?\d(?:[ -]?\d){10,18}[Xx]?(?![\dA-Za-z])/g;

/** The personal numbers in one line of text; `allowedMobiles` are office numbers that may be shown. */
export function personalDataIn(line: string, allowedMobiles: ReadonlySet<string>): PersonalData[] {
  const found: PersonalData[] = [];
  for (const match of line.matchAll(NUMBER_RUN)) {
    const raw = match[0].replace(/[ -]/g, '');
    const digits = raw.replace(/^\+?86(?=1\d{10}$)/, '');
    if (isIdCardNumber(digits)) found.push('idCard');
    else if (isBankCardNumber(digits)) found.push('bankCard');
    else if (/^1[3-9]\d{9}$/.test(digits) && !allowedMobiles.has(digits)) found.push('mobile');
  }
  return found;
}

/** Every personal number in the named texts, line by line (each text's lines are numbered from 1). */
export function findPersonalData(texts: readonly { field: string; lines: readonly string[] }[], allowedMobiles: ReadonlySet<string>): PersonalDataHit[] {
  const hits: PersonalDataHit[] = [];
  for (const { field, lines } of texts) {
    lines.forEach((text, i) => {
      for (const what of personalDataIn(text, allowedMobiles)) hits.push({ field, line: i + 1, what });
    });
  }
  return hits;
}
