/**
 * A WHERE clause built from the filters a query actually has. Leaving absent filters out (rather
 * than `? IS NULL OR col = ?`) lets SQLite pick an index for the ones present; each combination is
 * its own prepared statement in the `stmt` cache.
 */
export class Where {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  and(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  /** A copy to add conditions to (e.g. the page's cursor) without changing this one (e.g. for its count). */
  clone(): Where {
    const copy = new Where();
    copy.parts.push(...this.parts);
    copy.params.push(...this.params);
    return copy;
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/**
 * Keyset paging on an ordering by `first` then `second` (a unique tiebreaker): only rows after the
 * key [a, b] of the last row seen. The leading `first <= a` is what lets SQLite start its index
 * walk at the cursor instead of filtering from the top.
 */
export function afterKey(where: Where, first: string, second: string, direction: 'asc' | 'desc', key: readonly [unknown, unknown]): Where {
  const [a, b] = key;
  return direction === 'desc' ? where.and(`${first} <= ? AND (${first} < ? OR ${second} < ?)`, a, a, b) : where.and(`${first} >= ? AND (${first} > ? OR ${second} > ?)`, a, a, b);
}
