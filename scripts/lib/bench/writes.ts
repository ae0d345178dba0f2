/**
 * `npm run bench -- --writes`: the write ceilings of issue 24 on the generated city. Training
 * sign-ups and listing submissions go over HTTP to the production server (many connections,
 * each request a new person or a new listing); the price import runs the clerk's own path
 * (stage, preview, confirm) in this process on the same file; the database size is read with
 * dbstat after a checkpoint, and again after 100k more listings. The arithmetic and the request
 * bodies are pure and tested (tests/unit/bench/writes.test.ts).
 */
import type autocannon from 'autocannon';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '../../../src/lib/csv/index.ts';
import { auth } from '../../../src/lib/auth/session.ts';
import { CONSOLE, createUser, getUser } from '../../../src/lib/auth/users.ts';
import { type Db, openDatabase } from '../../../src/lib/db/index.ts';
import { many, one } from '../../../src/lib/db/statements.ts';
import { random } from '../../../src/lib/prices/seed.ts';
import { type BackupManifest, createBackup, restoreBackup } from '../../../src/lib/ops/backup.ts';
import { commitImport, getStagedImport, previewImport, stageImport } from '../../../src/lib/prices/import.ts';
import { addListings } from './dataset.ts';
import { BROWSER_HEADERS, pooled, run, type Sample } from './measure.ts';
import { mixedKinds } from './mixed.ts';
import { startServer } from './server.ts';
import { routeStats, type RouteStats } from './stats.ts';
import { fakePhone, personName, pick, PRODUCTS, productDescription, type Random } from './text.ts';

/** A write measured: its rate, its latency and what was checked in the database afterwards. */
export interface WriteResult {
  stats: RouteStats;
  /** What one unit of `stats.rate` is ("sign-ups", "rows"…). */
  unit: string;
  /** What the latencies are of (one request, one batch of rows). */
  latencyOf: string;
  /** The database check: what was expected and what was found. */
  stored: { expected: number; found: number };
}

/** A form as a browser posts it with enctype="multipart/form-data" (text fields only). */
export function multipartBody(fields: Record<string, string>, boundary: string): string {
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** The fields a collector submits for review on /admin/listings/new: a generated product of their village. */
export function listingSubmission(next: Random, villageCode: string, n: number): Record<string, string> {
  const product = pick(next, PRODUCTS.fruit);
  return {
    villageCode,
    intent: 'submit',
    title: `${product}（压测 ${n}）`,
    category: 'fruit',
    price: String(2 + (n % 7)),
    priceUnit: 'jin',
    quantity: '约 1000 斤',
    supplyFrom: '8',
    supplyTo: '11',
    contactName: personName(next),
    contactPhone: fakePhone(6_000_000 + n),
    descriptionMd: productDescription(next, product),
  };
}

/** A price sheet row: what a market clerk's spreadsheet holds. */
export interface SheetRow {
  date: string;
  market: string;
  commodity: string;
  avg: string;
}

/** The variety every imported row carries, so none can clash with a generated price (whose variety is empty). */
export const SHEET_VARIETY = '压测样本';

/**
 * `count` rows starting at row `from` of one endless sequence: every market × commodity pair for a
 * day, then the day before, back from `lastDay`. Rows of different batches never repeat a key.
 */
export function sheetRows(markets: readonly string[], commodities: readonly string[], lastDay: Date, from: number, count: number): SheetRow[] {
  const perDay = markets.length * commodities.length;
  if (perDay === 0) throw new Error('A price sheet needs a market and a commodity');
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const day = new Date(lastDay.getTime() - Math.floor(n / perDay) * 86_400_000);
    const pair = n % perDay;
    return {
      date: day.toISOString().slice(0, 10),
      market: markets[Math.floor(pair / commodities.length)]!,
      commodity: commodities[pair % commodities.length]!,
      avg: (1 + (n % 500) / 100).toFixed(2),
    };
  });
}

/** The rows as a CSV file with the import's Chinese headers. */
export function priceSheet(rows: readonly SheetRow[]): string {
  return toCsv(
    ['日期', '市场', '品名', '品种', '均价', '来源'],
    rows.map((r) => [r.date, r.market, r.commodity, SHEET_VARIETY, r.avg, '性能测试样本']),
  );
}

/** `bytes` scaled to 100,000 listings. */
export function perHundredThousand(bytes: number, listings: number): number {
  return listings === 0 ? Number.NaN : (bytes * 100_000) / listings;
}

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function writesTable(results: readonly WriteResult[]): string {
  return table(
    ['write', 'rate', 'p50 ms', 'p99 ms', 'latency of', 'count', 'errors', 'stored / expected'],
    results.map((r) => [
      r.stats.name,
      `${r.stats.rate.toFixed(1)} ${r.unit}/s`,
      r.stats.p50.toFixed(1),
      r.stats.p99.toFixed(1),
      r.latencyOf,
      String(r.stats.requests),
      String(r.stats.errors),
      `${r.stored.found} / ${r.stored.expected}`,
    ]),
  );
}

/** Failed requests, or a database that does not hold what the server confirmed, fail the bench. */
export function writesFailure(results: readonly WriteResult[]): string | undefined {
  const problems = results.flatMap((r) => [
    ...(r.stats.errors > 0 ? [`${r.stats.name}: ${r.stats.errors} failed`] : []),
    ...(r.stored.found !== r.stored.expected ? [`${r.stats.name}: ${r.stored.found} stored, ${r.stored.expected} confirmed`] : []),
    ...(r.stats.requests === 0 ? [`${r.stats.name}: nothing measured`] : []),
  ]);
  return problems.length > 0 ? `${problems.join('; ')}.` : undefined;
}

export interface SizeGroup {
  name: string;
  bytes: number;
}

/** Bytes of every table with its indexes (and an FTS table with its shadow tables), largest first, from dbstat. */
export function tableSizes(db: Db): SizeGroup[] {
  return many<SizeGroup>(
    db,
    `SELECT coalesce(
         (SELECT v.name FROM sqlite_schema v WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND s.tbl_name LIKE v.name || '\\_%' ESCAPE '\\'),
         s.tbl_name) AS name,
       sum(d.pgsize) AS bytes
     FROM dbstat d JOIN sqlite_schema s ON s.name = d.name
     GROUP BY 1 ORDER BY bytes DESC`,
  );
}

/** The file's size once the WAL is folded into it (nothing else may hold the file open for writing). */
export function checkpointedBytes(path: string): { file: number; wal: number } {
  const db = openDatabase(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const wal = (() => {
    try {
      return statSync(`${path}-wal`).size;
    } catch {
      return 0;
    }
  })();
  return { file: statSync(path).size, wal };
}

export function sizeReport(path: string, grownPath: string, extraListings: number): string {
  const base = checkpointedBytes(path);
  const grown = checkpointedBytes(grownPath);
  const db = openDatabase(path);
  const listings = one<{ n: number }>(db, 'SELECT count(*) AS n FROM listings')!.n;
  const groups = tableSizes(db);
  db.close();
  const listingBytes = groups.filter((g) => g.name.startsWith('listing')).reduce((sum, g) => sum + g.bytes, 0);
  const growth = grown.file + grown.wal - (base.file + base.wal);
  const lines = [
    `Database at ${listings} listings (the whole city): file ${MB(base.file)} + WAL ${MB(base.wal)} after a checkpoint.`,
    `Tables (with their indexes), dbstat: ${groups
      .slice(0, 8)
      .map((g) => `${g.name} ${MB(g.bytes)}`)
      .join(', ')}.`,
    `listing* tables: ${MB(listingBytes)} = ${MB(perHundredThousand(listingBytes, listings))} per 100k listings (search index and audit rows not included).`,
    `Adding ${extraListings} listings (with search documents, events and audit rows, as generated) grew the file by ${MB(growth)} = ${MB(perHundredThousand(growth, extraListings))} per 100k listings.`,
  ];
  return lines.join('\n');
}

export interface WriteLoad {
  connections: number;
  /** How long the measured writes last at least (whole batches). */
  seconds: number;
  /** Writes sent before the measurement (JIT and caches warm, as on a live server). */
  warmUpWrites: number;
}

/** The form post of one write, built just before it is sent. */
type WriteRequest = () => Pick<autocannon.Request, 'method' | 'path' | 'headers' | 'body'>;

/**
 * `connections` connections posting `amount` writes. Every write is answered before this returns
 * (a run cut off at a time would leave some in flight), so the database can be checked exactly
 * against the answers.
 */
async function posted(url: string, request: WriteRequest, connections: number, amount: number): Promise<Sample> {
  const latencies: number[] = [];
  let unexpected = 0;
  const result = await run(
    {
      url,
      connections,
      amount,
      headers: BROWSER_HEADERS,
      requests: [
        {
          setupRequest: (req: autocannon.Request) => {
            const made = request();
            return { ...req, ...made, headers: { ...req.headers, ...made.headers } };
          },
        },
      ],
    },
    (status, ms) => {
      // Each write answers with a redirect to what it made.
      if (status === 303) latencies.push(ms);
      else unexpected++;
    },
  );
  return { latencies, seconds: result.duration, errors: unexpected + result.errors + result.timeouts };
}

/** Writes per connection in one fully answered batch: long enough that the drain at its end is a small part. */
const BATCH_PER_CONNECTION = 50;

/**
 * A warm-up, then batches of writes until `load.seconds` have passed, pooled; `stored` counts the
 * rows these writes make, before and after the measured batches.
 */
async function sustained(url: string, name: string, request: WriteRequest, load: WriteLoad, stored: () => number): Promise<Pick<WriteResult, 'stats' | 'stored'>> {
  await posted(url, request, load.connections, load.warmUpWrites);
  const before = stored();
  const samples: Sample[] = [];
  while (samples.reduce((sum, s) => sum + s.seconds, 0) < load.seconds) {
    samples.push(await posted(url, request, load.connections, load.connections * BATCH_PER_CONNECTION));
  }
  const stats = pooled(name, samples);
  return { stats, stored: { expected: stats.requests, found: stored() - before } };
}

const count = (db: Db, sql: string, ...params: unknown[]) => one<{ n: number }>(db, sql, ...params)!.n;

/** Farmers signing up for open trainings, each with a new phone, as the mixed load does. */
export async function measureSignups(db: Db, url: string, load: WriteLoad): Promise<WriteResult> {
  const kind = mixedKinds(db, url, '/', []).find((k) => k.expected.includes(303));
  if (!kind) throw new Error('The mixed load has no sign-up');
  const next = random(11);
  const measured = await sustained(
    url,
    'training sign-up (POST /trainings/{id})',
    () => kind.request(next),
    load,
    () => count(db, 'SELECT count(*) AS n FROM training_signups'),
  );
  return { ...measured, unit: 'sign-ups', latencyOf: 'request' };
}

const COLLECTOR_PASSWORD = 'bench-collector-Passw0rd';

/** Collectors of `villages` villages, each with a signed-in session made the way /login makes one. */
async function collectorSessions(db: Db, villages: number): Promise<{ id: string; village: string; cookie: string }[]> {
  const codes = many<{ code: string }>(db, `SELECT code FROM regions WHERE level = 'village' ORDER BY code LIMIT ?`, villages).map((r) => r.code);
  const byConsole = { actor: CONSOLE, clientAddress: 'bench' };
  const sessions = [];
  for (const [i, village] of codes.entries()) {
    const { user } = await createUser(db, byConsole, { username: `bench-collector-${i}`, displayName: '压测采集员', role: 'collector', regionCode: village }, COLLECTOR_PASSWORD);
    const cookie = await auth(db).create(user.id, '127.0.0.1', 'public', { userAgent: BROWSER_HEADERS['user-agent'] });
    sessions.push({ id: user.id, village, cookie: `${cookie.name}=${cookie.value}` });
  }
  return sessions;
}

/** Signed-in collectors submitting new listings for review through the real multipart form. */
export async function measureSubmissions(db: Db, url: string, load: WriteLoad, collectors: number): Promise<WriteResult> {
  const sessions = await collectorSessions(db, collectors);
  const next = random(13);
  const boundary = '----xiangxinbench7MA4YWxkTrZu0gW';
  let n = 0;
  const submit: WriteRequest = () => {
    const s = sessions[n % sessions.length]!;
    const body = multipartBody(listingSubmission(next, s.village, ++n), boundary);
    return {
      method: 'POST',
      path: '/admin/listings/new',
      // Astro's checkOrigin refuses a form post from any other origin.
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: url, cookie: s.cookie },
      body,
    };
  };
  const ids = sessions.map((s) => s.id);
  const submitted = () => count(db, `SELECT count(*) AS n FROM listings WHERE status = 'pending' AND created_by IN (${ids.map(() => '?').join(', ')})`, ...ids);
  const measured = await sustained(url, 'listing submission (POST /admin/listings/new)', submit, load, submitted);
  return { ...measured, unit: 'listings', latencyOf: 'request' };
}

/**
 * The clerk's import in this process, on the server's database: each batch is uploaded (staged),
 * previewed and confirmed, as /admin/prices/import does, by the city's administrator.
 */
export function measurePriceImport(path: string, batches: number, rowsPerBatch: number, now = new Date()): WriteResult {
  const db = openDatabase(path);
  try {
    const admin = getUser(db, one<{ id: string }>(db, `SELECT id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1`)!.id)!;
    const ctx = { actor: admin, clientAddress: 'bench' };
    const markets = many<{ name: string }>(db, 'SELECT name FROM price_markets ORDER BY id').map((m) => m.name);
    const commodities = many<{ name: string }>(db, 'SELECT name FROM price_commodities ORDER BY id').map((c) => c.name);
    const before = count(db, 'SELECT count(*) AS n FROM price_observations');
    const encoder = new TextEncoder();
    const times: number[] = [];
    let added = 0;
    let errors = 0;
    for (let b = 0; b < batches; b++) {
      const bytes = encoder.encode(priceSheet(sheetRows(markets, commodities, now, b * rowsPerBatch, rowsPerBatch)));
      const start = performance.now();
      try {
        const id = stageImport(db, ctx, { fileName: `bench-${b}.csv`, bytes, defaultMarketId: null });
        const checked = previewImport(db, ctx, getStagedImport(db, ctx, id));
        if (checked.counts.new !== rowsPerBatch) throw new Error(`batch ${b}: ${checked.counts.new} new rows of ${rowsPerBatch}`);
        added += commitImport(db, ctx, id).added;
      } catch (err) {
        console.error(`  price import ${(err as Error).message}`);
        errors++;
      }
      times.push(performance.now() - start);
    }
    const seconds = times.reduce((sum, t) => sum + t, 0) / 1000;
    const batch = routeStats(`price import (${batches} files of ${rowsPerBatch} rows)`, times, seconds, errors);
    const stats = { ...batch, rate: added / seconds, requests: added };
    return {
      stats,
      unit: 'rows',
      latencyOf: `file of ${rowsPerBatch}`,
      stored: { expected: batches * rowsPerBatch, found: count(db, 'SELECT count(*) AS n FROM price_observations') - before },
    };
  } finally {
    db.close();
  }
}

export interface WritesPlan {
  databasePath: string;
  mediaDir: string;
  /** A scratch folder for the grown copy. */
  dir: string;
  load: WriteLoad;
  collectors: number;
  importBatches: number;
  importRows: number;
}

/** Listings added to a copy to see what 100k more cost on disk. */
const EXTRA_LISTINGS = 100_000;

/** The whole write bench on a generated city: the measured writes, and why it failed, if it did. */
export async function writeCeilings(plan: WritesPlan, log: (line: string) => void): Promise<{ results: WriteResult[]; failure: string | undefined }> {
  const grownPath = join(plan.dir, 'city-size.sqlite');
  checkpointedBytes(plan.databasePath);
  copyFileSync(plan.databasePath, grownPath);
  log(`\nAdding ${EXTRA_LISTINGS} listings to a copy, for the size per 100k listings`);
  for (const t of addListings(grownPath, EXTRA_LISTINGS)) log(`  ${t.step}: ${(t.ms / 1000).toFixed(1)} s`);
  log(`\n${sizeReport(plan.databasePath, grownPath, EXTRA_LISTINGS)}`);
  rmSync(grownPath, { force: true });

  const results: WriteResult[] = [];
  const server = await startServer({ DATABASE_PATH: plan.databasePath, MEDIA_DIR: plan.mediaDir });
  const db = openDatabase(plan.databasePath);
  try {
    log(
      `\nWrites over HTTP: ${plan.load.connections} connections; ${plan.load.warmUpWrites} writes to warm up, then batches of ${plan.load.connections * BATCH_PER_CONNECTION}, each answered in full, for at least ${plan.load.seconds} s`,
    );
    results.push(await measureSignups(db, server.url, plan.load));
    log(`  ${results.at(-1)!.stats.name}: ${results.at(-1)!.stats.rate.toFixed(0)}/s`);
    results.push(await measureSubmissions(db, server.url, plan.load, plan.collectors));
    log(`  ${results.at(-1)!.stats.name}: ${results.at(-1)!.stats.rate.toFixed(0)}/s`);
  } finally {
    db.close();
    await server.stop();
  }
  log(`\nPrice import in this process: ${plan.importBatches} files of ${plan.importRows} rows, each staged, previewed and confirmed`);
  results.push(measurePriceImport(plan.databasePath, plan.importBatches, plan.importRows));
  log(`\n${writesTable(results)}`);
  const after = checkpointedBytes(plan.databasePath);
  log(`Database after the writes: file ${MB(after.file)} + WAL ${MB(after.wal)} after a checkpoint.`);
  log(`\n${await backupAndRestore(plan)}`);
  return { results, failure: writesFailure(results) };
}

/**
 * What the disaster plan of docs/SCALING.md starts from: how long npm run backup's copy of this
 * city takes, and npm run restore's check and copy of it to a new place.
 */
async function backupAndRestore(plan: WritesPlan): Promise<string> {
  const backupDir = join(plan.dir, 'backup');
  const db = openDatabase(plan.databasePath);
  let start = performance.now();
  let manifest: BackupManifest;
  try {
    manifest = await createBackup(db, plan.mediaDir, backupDir);
  } finally {
    db.close();
  }
  const backupSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  restoreBackup(backupDir, join(plan.dir, 'restored', 'city.sqlite'), join(plan.dir, 'restored', 'media'));
  const restoreSeconds = (performance.now() - start) / 1000;
  rmSync(backupDir, { recursive: true, force: true });
  rmSync(join(plan.dir, 'restored'), { recursive: true, force: true });
  return [
    `npm run backup (online copy, integrity check, ${manifest.media.length} media files): ${backupSeconds.toFixed(1)} s for ${MB(manifest.database.bytes)}.`,
    `npm run restore of it to a new path (checksums, integrity check, copy): ${restoreSeconds.toFixed(1)} s.`,
  ].join('\n');
}
