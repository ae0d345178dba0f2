import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator, type MessageKey } from '../../../src/i18n/index.ts';
import { storeMedia } from '../../../src/lib/articles/media.ts';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { createBackup } from '../../../src/lib/ops/backup.ts';
import { seededDb } from '../../helpers/fixtures.ts';
import { startServer, type RunningServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import { runScript } from '../../helpers/script.ts';

const script = runScript;

const zh = translator('zh-CN');
const en = translator('en');
/** The fixed opening of a catalogue message, before its first parameter. */
const opening = (key: MessageKey) => zh(key).split('{')[0]!;

const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('backup and restore', () => {
  const tmp = tempDir();
  const dbFile = tmp.file('live.sqlite');
  const media = tmp.file('media');
  const env = { DATABASE_PATH: dbFile, MEDIA_DIR: media };
  let listings = 0;
  let photo = '';

  beforeAll(async () => {
    process.env.MEDIA_DIR = media;
    const db = await seededDb(dbFile, ['regions', 'sample-listings']);
    listings = count(db, 'listings');
    photo = storeMedia(Buffer.from('sample media bytes for the backup test'));
    db.close();
  });
  afterAll(() => tmp.cleanup());

  it('copies the database and media with the operator script, and restores them after a loss', () => {
    const out = tmp.file('backup-1');
    const made = script('backup', ['--out', out], env);
    expect(made.status, made.output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(made.output.trim()).toBe(zh('cli.backup.done', { out, bytes: manifest.database.bytes, files: manifest.media.length }));
    expect(manifest.database.migrations.length).toBeGreaterThan(0);
    expect(manifest.media.map((m: { path: string }) => m.path)).toContain(`${photo.slice(0, 2)}/${photo}`);

    // The loss: listings deleted, the media folder gone.
    const db = openDatabase(dbFile);
    db.exec('DELETE FROM listing_photos; DELETE FROM listings');
    db.close();
    rmSync(media, { recursive: true, force: true });

    const restored = script('restore', [out], env);
    expect(restored.status, restored.output).toBe(0);
    expect(restored.output).toContain(opening('cli.restore.previous'));
    const back = openDatabase(dbFile);
    expect(count(back, 'listings')).toBe(listings);
    expect(back.pragma('integrity_check', { simple: true })).toBe('ok');
    back.close();
    expect(readFileSync(join(media, photo.slice(0, 2), photo), 'utf8')).toBe('sample media bytes for the backup test');
    // The replaced database is kept beside the restored one, never deleted.
    const kept = readdirSync(tmp.dir).find((f) => f.startsWith('live.sqlite.before-restore-') && !f.endsWith('-wal') && !f.endsWith('-shm'));
    expect(kept).toBeDefined();
    const previous = openDatabase(join(tmp.dir, kept!), { migrate: false });
    expect(count(previous, 'listings')).toBe(0);
    previous.close();
  });

  it('takes a consistent copy while another connection keeps writing', async () => {
    const db = openDatabase(dbFile);
    const writer = openDatabase(dbFile);
    const insert = writer.prepare(`INSERT INTO audit_log (at, username, action, summary) VALUES (unixepoch() * 1000, 'backup-test', 'test.write', ?)`);
    let writes = 0;
    const timer = setInterval(() => {
      writer.transaction(() => {
        for (let i = 0; i < 50; i++) insert.run(`write ${writes++}`);
      })();
    }, 1);
    try {
      const out = tmp.file('backup-live');
      await createBackup(db, media, out);
      const copy = openDatabase(join(out, 'xiangxin.sqlite'), { migrate: false });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      // Whole transactions only: the copy never holds part of a batch of 50.
      const copied = (copy.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'test.write'`).get() as { n: number }).n;
      expect(copied % 50).toBe(0);
      copy.close();
    } finally {
      clearInterval(timer);
      writer.close();
      db.close();
    }
    expect(writes).toBeGreaterThan(0);
  });

  it('refuses a damaged backup and leaves the live data alone', () => {
    const out = tmp.file('backup-2');
    expect(script('backup', ['--out', out], env).status).toBe(0);
    writeFileSync(join(out, 'media', photo.slice(0, 2), photo), 'tampered');
    const before = readFileSync(dbFile);
    const run = script('restore', [out], env);
    expect(run.status).toBe(1);
    expect(run.output).toContain(zh('cli.backup.mediaChecksum', { path: `${photo.slice(0, 2)}/${photo}` }));
    expect(readFileSync(dbFile).equals(before)).toBe(true);
  });

  it('refuses a directory that is not a backup, a non-empty output and missing arguments', () => {
    const notBackup = tmp.file('backup-1');
    rmSync(join(notBackup, 'manifest.json'));
    expect(script('restore', [notBackup], env).output).toContain(zh('cli.backup.noManifest', { dir: notBackup, manifest: 'manifest.json' }));
    const busy = script('backup', ['--out', notBackup], env);
    expect(busy.status).toBe(1);
    expect(busy.output).toContain(zh('cli.backup.notEmpty', { dir: notBackup }));
    expect(script('backup', [], env).output).toContain(zh('cli.backup.usage'));
    expect(script('backup', [], env, 'en_US.UTF-8').output).toContain(en('cli.backup.usage'));
    expect(script('restore', [], env).output).toContain(zh('cli.restore.usage'));
    expect(script('restore', [], env, 'en_GB.UTF-8').output).toContain(en('cli.restore.usage'));
    expect(script('restore', [tmp.file('nowhere')], env).output).toContain(zh('cli.restore.missing', { dir: tmp.file('nowhere') }));
    expect(existsSync(tmp.file('nowhere'))).toBe(false);
  });
});

describe('restore against the database of a running server', () => {
  const tmp = tempDir();
  const dbFile = tmp.file('served.sqlite');
  const env = { DATABASE_PATH: dbFile, MEDIA_DIR: tmp.file('media') };
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    tmp.cleanup();
  });

  it('is refused with a clear message and changes nothing, and works once the server is gone', async () => {
    server = await startServer(env);
    const out = tmp.file('backup');
    expect(script('backup', ['--out', out], env).status).toBe(0);
    const files = readdirSync(tmp.dir).sort();

    const refused = script('restore', [out], env);
    expect(refused.status).toBe(1);
    expect(refused.output.trim()).toBe(`xiangxin: ${zh('cli.restore.databaseBusy', { path: dbFile })}`);
    expect(script('restore', [out], env, 'en_US.UTF-8').output.trim()).toBe(`xiangxin: ${en('cli.restore.databaseBusy', { path: dbFile })}`);
    expect(readdirSync(tmp.dir).sort()).toEqual(files);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // The kernel drops SQLite's locks with the process, however it ends: no stale lock after a crash.
    await server.crash();
    server = undefined;
    const restored = script('restore', [out], env);
    expect(restored.status, restored.output).toBe(0);
    expect(restored.output).toContain(opening('cli.restore.previous'));
  });

  it('is refused while a script holds the database open', () => {
    const holder = openDatabase(dbFile);
    try {
      const refused = script('restore', [tmp.file('backup')], env);
      expect(refused.status).toBe(1);
      expect(refused.output).toContain(zh('cli.restore.databaseBusy', { path: dbFile }));
    } finally {
      holder.close();
    }
  });
});
