import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Statement } from 'better-sqlite3';

/**
 * Cache tags, in the spirit of Drupal's: every write bumps counters in `cache_tags` (triggers of
 * db/migrations/0042_cache_tags.sql, so writes from scripts and other processes count too): one
 * per table (`table:articles`) and finer ones by region or entity (`listings:in:411424`,
 * `trainings:session:34`). A read done while a render is being recorded notes the tags it depends
 * on with their counters at that moment; what it rendered stays valid while they are unchanged.
 *
 * Reads name their tables without any help: every statement goes through `stmt()`, which hands
 * its SQL here. A read that knows it depends on less than whole tables says so with `withTags`.
 */

/**
 * Tables without triggers. Nothing public reads them (sessions, counters, logs), or they change
 * with nearly every request; a render that reads one anyway is valid only while nothing at all in
 * the database has changed.
 */
export const UNTRACKED_TABLES: readonly string[] = [
  'audit_log',
  'cache_tags',
  'change_counters',
  'job_leases',
  'login_failures',
  'login_locks',
  'outbox',
  'page_views',
  'phone_codes',
  'recovery_codes',
  'schema_migrations',
  'seed_runs',
  'sessions',
  'sheet_imports',
];

/** What one render (or one cached read) has read so far. */
export interface Reads {
  /** Each tag read, with its counter when first read. */
  tags: Map<string, number>;
  /** A table without tags was read: only an unchanged database keeps the answer valid. */
  untracked: boolean;
  /** The clock time (ms) at which the answer may change by itself (an expiry, a deadline). */
  until: number;
}

/** The counters themselves and the migrations (read once, when the connection opens): how the caches work, not what a page shows. */
const BOOKKEEPING = new Set(['cache_tags', 'change_counters', 'schema_migrations']);

const newReads = (): Reads => ({ tags: new Map(), untracked: false, until: Number.POSITIVE_INFINITY });

// One store for every copy of this module: `npm start` records around the built application,
// which bundles its own copy.
const recording: AsyncLocalStorage<Reads> = ((globalThis as Record<symbol, unknown>)[Symbol.for('xiangxin.cacheTags')] ??=
  new AsyncLocalStorage<Reads>()) as AsyncLocalStorage<Reads>;

interface Schema {
  /** Tables and views by lower-case name; a view maps to the tables it reads. */
  tables: Map<string, string[]>;
  tracked: Set<string>;
  /** The tables each SQL text names, found once per text. */
  bySql: Map<string, string[]>;
  version: Statement<[string], number>;
  /** `unchanged` for several tags, in one read transaction (made on first use). */
  allUnchanged?: (version: Statement<[string], number>, tags: ReadonlyMap<string, number>) => boolean;
}

const schemas = new WeakMap<Database, Schema>();

function schemaOf(db: Database): Schema {
  let schema = schemas.get(db);
  if (schema) return schema;
  // Read directly (not through one/many, whose statements are noted here): these reads must not record themselves.
  const objects = db
    .prepare<[], { name: string; type: string; sql: string | null }>(`SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`)
    .all();
  const names = new Set(objects.map((o) => o.name.toLowerCase()));
  const tables = new Map<string, string[]>();
  for (const o of objects) if (o.type === 'table') tables.set(o.name.toLowerCase(), [o.name.toLowerCase()]);
  // Views read the tables their SQL names (views of views resolve through the tables already known).
  for (const o of objects)
    if (o.type === 'view')
      tables.set(
        o.name.toLowerCase(),
        identifiers(o.sql ?? '').filter((n) => n !== o.name.toLowerCase() && names.has(n)),
      );
  const triggers = db.prepare<[], string>(`SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'tag\\_%' ESCAPE '\\'`).pluck().all();
  schema = {
    tables,
    tracked: new Set(triggers.map((t) => t.toLowerCase())),
    bySql: new Map(),
    version: db.prepare<[string], number>('SELECT n FROM cache_tags WHERE tag = ?').pluck(),
  };
  schemas.set(db, schema);
  return schema;
}

/** Every identifier-like word of a SQL text, lower case: a superset of the tables it names. */
function identifiers(sql: string): string[] {
  return [...new Set(sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? [])];
}

function tablesOf(schema: Schema, sql: string): string[] {
  let found = schema.bySql.get(sql);
  if (!found) {
    // A column or alias that happens to share a table's name adds a tag too many: more
    // invalidation, never less.
    found = [...new Set(identifiers(sql).flatMap((word) => schema.tables.get(word) ?? []))];
    schema.bySql.set(sql, found);
  }
  return found;
}

/** Finer tags for some tables, while a `withTags` read runs (reads are synchronous: no other render interleaves). */
let finer: Readonly<Record<string, readonly string[]>> | undefined;

function note(reads: Reads, schema: Schema, tag: string): void {
  if (!reads.tags.has(tag)) reads.tags.set(tag, schema.version.get(tag) ?? 0);
}

/** Called by `stmt()` for each statement about to run: notes what it reads in the render being recorded. */
export function noteStatement(db: Database, sql: string, statement: Statement): void {
  const reads = recording.getStore();
  if (!reads || !statement.reader) return;
  const schema = schemaOf(db);
  for (const table of tablesOf(schema, sql)) {
    if (BOOKKEEPING.has(table)) continue;
    const tags = finer?.[table];
    if (tags) for (const tag of tags) note(reads, schema, tag);
    else if (schema.tracked.has(table)) note(reads, schema, `table:${table}`);
    else reads.untracked = true;
  }
}

/**
 * Runs `read` with finer tags standing for some of its tables: `{ listing_public: ['listings:in:4114'] }`
 * says that, for this read, only writes in that subtree matter. Every other table it reads is
 * recorded whole. The tags must be ones the triggers bump for every write that could change the answer.
 */
export function withTags<T>(tags: Readonly<Record<string, readonly string[]>>, read: () => T): T {
  const outer = finer;
  finer = { ...outer, ...tags };
  try {
    const result = read();
    if (result instanceof Promise) throw new Error('withTags reads must be synchronous');
    return result;
  } finally {
    finer = outer;
  }
}

/**
 * The finer tags that stand for `tables` in a read of the region subtree `code`: the triggers bump
 * `<set>:in:<prefix>` for every region above a written row. No code (the whole city) needs none.
 */
export function subtreeTags(set: string, code: string | undefined, tables: readonly string[]): Record<string, string[]> {
  return code ? Object.fromEntries(tables.map((table) => [table, [`${set}:in:${code}`]])) : {};
}

/** Notes that what is being read changes by itself at `at` (ms): a kept answer is not used from then on. */
export function changesAt(at: number): void {
  const reads = recording.getStore();
  if (reads && at < reads.until) reads.until = at;
}

/** Adds what a nested read recorded to the render around it (a cached read's tags, again on each use). */
export function replay(from: Reads): void {
  const reads = recording.getStore();
  if (!reads) return;
  for (const [tag, n] of from.tags) {
    const seen = reads.tags.get(tag);
    // Two different counters for one tag: the older one keeps the whole answer from being reused once it moved.
    if (seen === undefined || n < seen) reads.tags.set(tag, n);
  }
  if (from.untracked) reads.untracked = true;
  if (from.until < reads.until) reads.until = from.until;
}

/**
 * Runs `read` without recording it: for the reads that only say how long an answer holds on the
 * clock (the next expiry in the whole city), whose own data changes are already tagged.
 */
export function unrecorded<T>(read: () => T): T {
  return recording.exit(read);
}

/** Runs `run` recording what it reads; the record is complete once everything `run` started has finished. */
export function recordReads<T>(run: () => T): { reads: Reads; result: T } {
  const reads = newReads();
  const result = recording.run(reads, run);
  return { reads, result };
}

const sameCounters = (version: Statement<[string], number>, tags: ReadonlyMap<string, number>): boolean => {
  for (const [tag, n] of tags) if ((version.get(tag) ?? 0) !== n) return false;
  return true;
};

/** Whether every tag still has the counter `reads` saw. */
export function unchanged(db: Database, tags: ReadonlyMap<string, number>): boolean {
  const schema = schemaOf(db);
  if (tags.size < 2 || db.inTransaction) return sameCounters(schema.version, tags);
  // One read transaction for all of them: each lookup on its own would take the file locks again
  // (about 5 µs each; 30 µs for six tags against 10 µs together).
  schema.allUnchanged ??= db.transaction(sameCounters).deferred;
  return schema.allUnchanged(schema.version, tags);
}
