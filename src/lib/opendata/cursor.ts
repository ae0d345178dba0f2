import type { z } from 'zod';
import { badParameter } from './params.ts';

/**
 * A page's position is the sort key of its last row, sent back by the client as an opaque
 * string. Keyset paging: rows added or removed meanwhile never shift later pages.
 */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key in a cursor, checked against the shape of the collection's key; a bad one is a 400. */
export function decodeCursor<K>(text: string, shape: z.ZodType<K>): K {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badParameter('cursor', 'opendata.error.cursor');
  }
  const parsed = shape.safeParse(raw);
  if (!parsed.success) throw badParameter('cursor', 'opendata.error.cursor');
  return parsed.data;
}
