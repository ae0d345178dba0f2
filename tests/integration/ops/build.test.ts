import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { currentBuild, pruneBuilds, switchCurrent } from '../../../scripts/lib/build.ts';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { createUseMarker, holdUseMarker } from '../../../src/lib/ops/locks.ts';
import { startServer, type RunningServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const run = promisify(execFile);

interface Health {
  status: string;
  build: string;
  page: { path: string; status: number; error?: string };
}

const health = async (server: RunningServer) => {
  const res = await fetch(`${server.url}/healthz`);
  return { status: res.status, body: (await res.json()) as Health };
};

describe('a build in the checkout of a running server', () => {
  const tmp = tempDir();
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    tmp.cleanup();
  });

  it('leaves the running server serving the build it started with', { timeout: 240_000 }, async () => {
    const root = projectRoot();
    const before = currentBuild(root)!;
    const old = await startServer({ DATABASE_PATH: tmp.file('old.sqlite'), MEDIA_DIR: tmp.file('media'), LANG: 'en_US.UTF-8' });
    servers.push(old);
    const first = await health(old);
    expect(first.status).toBe(200);
    expect(first.body.build).toBe(before.id);
    expect(old.output()).toContain(translator('en')('cli.start.serving', { build: before.id, url: `${old.url}/` }));

    // What an operator does in the checkout of a running server (README: `npm run build && npm run bench`).
    // Asynchronously: a blocked event loop would miss the server closing idle connections meanwhile.
    await run(process.execPath, [join(root, 'scripts', 'build.ts')], { cwd: root, timeout: 180_000, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
    const after = currentBuild(root)!;
    expect(after.id).not.toBe(before.id);
    expect(existsSync(join(before.dir, 'server', 'entry.mjs'))).toBe(true);

    // Pages the server had not rendered yet: their modules are loaded only now, from its own build.
    for (const path of ['/county/411402', '/township/411402001', '/trainings', '/prices', '/search?q=%E8%8B%B9%E6%9E%9C', '/login', '/open-data']) {
      const res = await fetch(`${old.url}${path}`);
      expect(res.status, path).toBe(200);
    }
    const later = await health(old);
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ status: 'ok', build: before.id, page: { path: '/', status: 200 } });

    const fresh = await startServer({ DATABASE_PATH: tmp.file('new.sqlite'), MEDIA_DIR: tmp.file('media') });
    servers.push(fresh);
    expect((await health(fresh)).body.build).toBe(after.id);
  });

  it('reports unhealthy when the page readers get fails, though the database answers', async () => {
    const file = tmp.file('broken.sqlite');
    const server = await startServer({ DATABASE_PATH: file, MEDIA_DIR: tmp.file('media') });
    servers.push(server);
    const db = new Database(file);
    // The home page's listings come from this table; the database health check does not read it.
    db.exec('ALTER TABLE listing_public RENAME TO listing_public_gone');
    // Reads kept since the server's first health check hold while their cache tags do: move them all.
    db.exec('UPDATE cache_tags SET n = n + 1');
    db.close();
    expect((await fetch(`${server.url}/`, { headers: { 'Cache-Control': 'no-cache' } })).status).toBe(500);
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body.status).toBe('error');
    expect(body.page.status).toBe(500);
    // What broke is for the server's log, not for whoever asks /healthz.
    expect(JSON.stringify(body)).not.toContain('listing_public');
    expect(server.output()).toContain('no such table: listing_public');
  });
});

describe('switching and pruning builds', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  const makeBuild = (root: string, id: string) => {
    const folder = join(root, 'dist-builds', id);
    mkdirSync(join(folder, 'site', 'server'), { recursive: true });
    writeFileSync(join(folder, 'site', 'server', 'entry.mjs'), '');
    createUseMarker(join(folder, 'in-use.sqlite'));
    return join(folder, 'site');
  };

  it('replaces a dist folder from before build ids by a link, keeping the old build', () => {
    const root = join(tmp.dir, 'legacy');
    mkdirSync(join(root, 'dist', 'server'), { recursive: true });
    writeFileSync(join(root, 'dist', 'server', 'entry.mjs'), 'legacy');
    const site = makeBuild(root, '0000000b-aaaaaa');
    switchCurrent(root, site);
    expect(readlinkSync(join(root, 'dist'))).toBe(join('dist-builds', '0000000b-aaaaaa', 'site'));
    expect(currentBuild(root)).toEqual({ id: '0000000b-aaaaaa', dir: realpathSync(site) });
  });

  it('deletes only old builds that no process holds, keeping the current one and two others', () => {
    const root = join(tmp.dir, 'prune');
    const ids = ['00000001-a', '00000002-b', '00000003-c', '00000004-d', '00000005-e', '00000006-f'];
    const sites = ids.map((id) => makeBuild(root, id));
    switchCurrent(root, sites[1]!);
    // A server still running the oldest build.
    const held = holdUseMarker(join(root, 'dist-builds', ids[0]!, 'in-use.sqlite'));
    try {
      expect(pruneBuilds(root).sort()).toEqual(['00000003-c', '00000004-d']);
      for (const id of ['00000001-a', '00000002-b', '00000005-e', '00000006-f']) expect(existsSync(join(root, 'dist-builds', id)), id).toBe(true);
    } finally {
      held.release();
    }
    expect(pruneBuilds(root)).toEqual(['00000001-a']);
    expect(currentBuild(root)?.id).toBe('00000002-b');
  });
});
