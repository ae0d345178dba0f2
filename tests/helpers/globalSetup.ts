import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TestProject } from 'vitest/node';
import { projectRoot } from '../../src/lib/db/index.ts';
import { buildIfNeeded } from '../../scripts/lib/build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, fully seeded database (`template.sqlite`) and the media its samples wrote (`media/`), in the run's temp folder. */
    templateDir: string;
  }
}

/**
 * Integration tests run the real built server; build once before any of them starts one. Migrating
 * and seeding take seconds, so that happens once here too: each server starts on a copy.
 */
export default function setup(project: TestProject): () => void {
  const root = projectRoot();
  buildIfNeeded(root);
  const dir = mkdtempSync(join(tmpdir(), 'xiangxin-run-'));
  const seeding = join(dir, 'seeding.sqlite');
  // The operator's own seed script, so the template holds exactly what `npm start` would write.
  execFileSync(process.execPath, [join(root, 'scripts', 'dbSeed.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: seeding, MEDIA_DIR: join(dir, 'media') },
    stdio: 'pipe',
  });
  // One self-contained file (no -wal/-shm beside it) that a plain file copy reproduces.
  const db = new Database(seeding);
  db.prepare('VACUUM INTO ?').run(join(dir, 'template.sqlite'));
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(seeding + suffix, { force: true });
  project.provide('templateDir', dir);
  // Test files, the servers and scripts they start inherit this: whatever they leave in the temp
  // folder (a test that failed before its cleanup, a killed server's files) goes with the run.
  const systemTmp = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  const scratch = [dir, project.config.env.MEDIA_DIR].filter((d): d is string => Boolean(d));
  return () => {
    if (systemTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = systemTmp;
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  };
}
