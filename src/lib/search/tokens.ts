/**
 * Splits text into the tokens the index stores. Runs of Chinese characters become every single
 * character plus every adjacent pair (so 梨, 辣椒 and 小麦种植 all match); other text becomes
 * lower-case words. Tokens are joined by spaces for FTS5's unicode61 tokenizer.
 */
const HAN = /\p{Script=Han}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

function hanTokens(run: string, pairs: boolean): string[] {
  const chars = [...run];
  const out = [...chars];
  if (pairs) for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

function otherWords(text: string): string[] {
  return (text.replace(HAN, ' ').toLowerCase().match(WORD) ?? []).filter((w) => w.length > 0);
}

export function indexTokens(text: string): string {
  const han = (text.match(HAN) ?? []).flatMap((run) => hanTokens(run, true));
  return [...han, ...otherWords(text)].join(' ');
}

/**
 * The FTS5 query for what a person typed: each Chinese run must match as pairs (or as the single
 * character it is), each other word as a prefix. Undefined when nothing searchable is left.
 */
export function matchExpression(query: string): string | undefined {
  const terms: string[] = [];
  for (const run of query.match(HAN) ?? []) {
    const chars = [...run];
    if (chars.length === 1) terms.push(`"${chars[0]}"`);
    else for (let i = 0; i + 1 < chars.length; i++) terms.push(`"${chars[i]}${chars[i + 1]}"`);
  }
  for (const word of otherWords(query)) terms.push(`"${word}"*`);
  return terms.length ? [...new Set(terms)].join(' AND ') : undefined;
}
