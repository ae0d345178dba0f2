/**
 * `npm start` with WORKERS=2, as real processes: both workers answer requests (which process holds
 * each connection is read from /proc, so the site need not name its pids), a worker killed with
 * SIGKILL is replaced while the other keeps answering, and the background jobs run in one worker
 * only: a queued message is delivered once, by the holder of the jobs lease, and after the holder
 * is killed another worker takes the lease once it has expired and delivers the next message.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { openDatabase, projectRoot, type Db } from '../../../src/lib/db/index.ts';
import { currentBuild, workerEntry } from '../../../scripts/lib/build.ts';
import { many } from '../../../src/lib/db/statements.ts';
import { enqueue, idemKey } from '../../../src/lib/messages/outbox.ts';
import { fakeHttpGateway, type FakeGateway } from '../../helpers/fakeGateways.ts';
import { R } from '../../helpers/fixtures.ts';
import { outboxRow } from '../../helpers/outboxRows.ts';
import { childrenOf, type RunningServer, startServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const en = translator('en');
// A phone's browser: its page views are counted.
const READER = 'Mozilla/5.0 (Linux; Android 13; SM-A5361 Build/TP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The socket inodes a process has open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/** The inode of the server's end of our connection from `clientPort` to `serverPort` on 127.0.0.1 (/proc/net/tcp). */
function serverSideInode(serverPort: number, clientPort: number): string {
  const local = `0100007F:${hexPort(serverPort)}`;
  const remote = `0100007F:${hexPort(clientPort)}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[2] === remote) return fields[9]!;
  }
  throw new Error(`no server socket for client port ${clientPort}`);
}

/**
 * Opens a new keep-alive connection (never one from a pool, which a killed worker may have held),
 * asks for `path` and keeps the connection open once it is answered 200.
 */
function openAnswered(port: number, path = '/healthz'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: ${READER}\r\n\r\n`));
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => (chunk.toString().startsWith('HTTP/1.1 200') ? resolve(socket) : reject(new Error(chunk.toString()))));
  });
}

/** Which of the server's processes holds each of `count` connections opened one after another. */
async function answeringPids(server: RunningServer, count: number, path = '/healthz'): Promise<number[]> {
  const port = Number(new URL(server.url).port);
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < count; i++) sockets.push(await openAnswered(port, path));
    const holders = childrenOf(server.pid).map((pid) => ({ pid, inodes: socketInodes(pid) }));
    return sockets.map((socket) => {
      const inode = serverSideInode(port, socket.localPort!);
      const holder = holders.filter((h) => h.inodes.has(inode));
      expect(holder, `connection from port ${socket.localPort}`).toHaveLength(1);
      return holder[0]!.pid;
    });
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

/** The pid in a lease holder's name (host:pid:random). */
const pidOf = (holder: string) => Number(holder.split(':').at(-2));

function leases(db: Db, now = Date.now()) {
  return many<{ name: string; holder: string | null; expiresAt: number }>(db, 'SELECT name, holder, expires_at AS expiresAt FROM job_leases').map((row) => ({
    ...row,
    live: row.holder !== null && row.expiresAt >= now,
  }));
}

describe('npm start with two workers', () => {
  const tmp = tempDir();
  let fake: FakeGateway;
  let server: RunningServer;
  let db: Db;
  beforeAll(async () => {
    fake = await fakeHttpGateway('workers-secret');
    const env = {
      DATABASE_PATH: tmp.file('workers.sqlite'),
      MEDIA_DIR: tmp.file('media'),
      WORKERS: '2',
      SMS_DRIVER: 'http',
      SMS_HTTP_URL: `${fake.url}/send`,
      SMS_HTTP_SECRET: 'workers-secret',
      OUTBOX_POLL_MS: '200',
      MESSAGE_QUIET_HOURS: 'off',
      LANG: 'en',
    };
    server = await startServer(env);
    // The primary says so once every first worker listens.
    await until('both workers listening', () => server.output().includes(en('cli.start.workers', { count: 2 })));
    db = openDatabase(env.DATABASE_PATH);
  });
  afterAll(async () => {
    db?.close();
    await server?.stop();
    await fake.close();
    tmp.cleanup();
  });

  it('answers from two different worker processes, children of the one it started as', async () => {
    const workers = childrenOf(server.pid);
    expect(workers).toHaveLength(2);
    const pids = await answeringPids(server, 6);
    expect(new Set(pids)).toEqual(new Set(workers));
  });

  it('runs each worker from the build’s JavaScript bundle, which imports no TypeScript file, with two malloc arenas', () => {
    const build = currentBuild(projectRoot())!;
    for (const pid of childrenOf(server.pid)) {
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain(workerEntry(build));
    }
    // Fewer malloc arenas than glibc's default of eight per core (scripts/lib/workers.ts).
    for (const pid of childrenOf(server.pid)) {
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('MALLOC_ARENA_MAX=2');
    }
    // Not one .ts specifier: a worker that imported one would load Node's TypeScript stripper.
    const specifiers = [...readFileSync(workerEntry(build), 'utf8').matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(specifiers.length).toBeGreaterThan(5);
    expect(specifiers.filter((s) => /\.[cm]?tsx?$/.test(s))).toEqual([]);
  });

  it('replaces a worker killed with SIGKILL, and keeps answering meanwhile', async () => {
    const [victim, survivor] = childrenOf(server.pid) as [number, number];
    process.kill(victim, 'SIGKILL');
    // Reaped by the primary: from then on, new connections go to the survivor until a new worker listens.
    await until('the victim reaped', () => !existsSync(`/proc/${victim}`));
    const port = Number(new URL(server.url).port);
    for (let i = 0; i < 4; i++) (await openAnswered(port)).destroy();
    const now = await until('a new worker', () => {
      const children = childrenOf(server.pid);
      return children.length === 2 && !children.includes(victim) && children;
    });
    expect(now).toContain(survivor);
    await until('the log line', () => server.output().includes(`Worker process ${victim} ended unexpectedly (SIGKILL)`));
    // The new worker serves too.
    await until('both answering', async () => new Set(await answeringPids(server, 6)).size === 2);
    expect(new Set(await answeringPids(server, 6))).toEqual(new Set(now));
    (await openAnswered(port, `/village/${R.village}`)).destroy();
  }, 90_000);

  it('runs the jobs in the lease holder alone: a message goes once, and after the holder dies the next holder sends the next', async () => {
    const send = (n: number) =>
      db.transaction(() =>
        enqueue(db, { event: `workers:${n}`, channel: 'sms', kind: 'code', recipient: `1380000000${n}`, regionCode: R.county, params: { code: `12345${n}` } }),
      )();
    send(1);
    await until('message 1 sent', () => outboxRow(db, 'workers:1', 'sms', '13800000001').status === 'sent');
    const live = leases(db).filter((l) => l.live);
    expect(live).toHaveLength(1);
    const first = live[0]!;
    expect(first.name).toBe('background');
    const workers = childrenOf(server.pid);
    expect(workers).toContain(pidOf(first.holder!));
    expect(fake.received.get(idemKey('workers:1', 'sms', '13800000001'))).toBe(1);

    process.kill(pidOf(first.holder!), 'SIGKILL');
    await until('the holder gone', () => !childrenOf(server.pid).includes(pidOf(first.holder!)));
    // The lease as the dead holder last renewed it: nobody may take it before it runs out.
    const lastExpiry = leases(db).find((l) => l.name === 'background')!.expiresAt;
    send(2);
    const sent = await until('message 2 sent', () => {
      const row = outboxRow(db, 'workers:2', 'sms', '13800000002');
      return row.status === 'sent' && row;
    });
    const next = leases(db).find((l) => l.name === 'background')!;
    expect(next.holder).not.toBe(first.holder);
    expect(childrenOf(server.pid)).toContain(pidOf(next.holder!));
    // Sent by the next holder, so not before the dead one's lease expired.
    expect(sent.sentAt!).toBeGreaterThan(lastExpiry);
    expect(fake.received.get(idemKey('workers:2', 'sms', '13800000002'))).toBe(1);
    expect(fake.received.get(idemKey('workers:1', 'sms', '13800000001'))).toBe(1);
    expect(fake.verified).toHaveLength(fake.requests.length);
  }, 90_000);

  it('stops every worker on SIGTERM: each writes the page views it counted, the lease is given up, then the primary ends', async () => {
    // A page no earlier test asked for: a surviving worker may still hold counts of those in memory.
    const path = `/village/${R.siblingVillage}`;
    const views = () => many<{ n: number }>(db, 'SELECT COALESCE(sum(views), 0) AS n FROM page_views WHERE path = ?', path)[0]!.n;
    const before = views();
    // Both workers count some, and keep them in memory (USAGE_FLUSH_SECONDS is five minutes). A
    // worker forked by an earlier test may not listen yet on a busy machine: ask until both answer.
    let asked = 0;
    const answering = await until('both workers answering', async () => {
      const pids = new Set(await answeringPids(server, 6, path));
      asked += 6;
      return pids.size === 2 && pids;
    });
    const workers = childrenOf(server.pid);
    expect(answering).toEqual(new Set(workers));
    await server.stop();
    for (const pid of workers) expect(existsSync(`/proc/${pid}`), `worker ${pid}`).toBe(false);
    expect(views() - before).toBe(asked);
    expect(leases(db).filter((l) => l.live)).toEqual([]);
  }, 60_000);
});
