import type { Db } from '../../../../src/lib/db/index.ts';
import type { SearchDocument } from '../../../../src/lib/search/index.ts';
import { indexTokens } from '../../../../src/lib/search/tokens.ts';

/**
 * Indexes new documents as indexDocument does (same row, same tokens), in batches: all document
 * rows first, then their FTS rows. Interleaving the two per document makes SQLite twice as slow.
 */
export function bulkIndexer(db: Db): { add(doc: SearchDocument): void; flush(): void } {
  const document = db.prepare('INSERT INTO search_documents (type, id, title, body, region_code, url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING rowid');
  const fts = db.prepare('INSERT INTO search_fts (rowid, title_tokens, body_tokens) VALUES (?, ?, ?)');
  let pending: SearchDocument[] = [];
  return {
    add: (doc) => void pending.push(doc),
    flush() {
      const now = Date.now();
      const rowids = pending.map((d) => (document.get(d.type, d.id, d.title, d.body, d.regionCode, d.url, now) as { rowid: number }).rowid);
      pending.forEach((d, i) => fts.run(rowids[i], indexTokens(d.title), indexTokens(d.body)));
      pending = [];
    },
  };
}
