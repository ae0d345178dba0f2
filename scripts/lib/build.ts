import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { createUseMarker, holdUseMarker, useMarkerHeld } from '../../src/lib/ops/locks.ts';
import { CliError, t } from './cli.ts';

/**
 * Builds never overwrite each other. Each one goes into its own folder
 * `dist-builds/<id>/site`, and `dist` is a symbolic link to the current one, switched by renaming
 * a new link over it (atomic). A running server resolves the link once at start and imports only
 * from the real folder, so a later build in the same checkout (`npm run build`, `npm test`)
 * cannot pull its chunks away from under it. Each build folder holds `in-use.sqlite`, on which
 * every server (and the build itself, while it runs) keeps a shared lock; old builds are deleted
 * only when nobody holds it.
 */
const BUILDS = 'dist-builds';
const CURRENT = 'dist';
const SITE = 'site';
const WORKER = 'worker';
const MARKER = 'in-use.sqlite';
/** Builds kept besides the current one even when unused: room to look at or go back to. */
const KEEP_OLD = 2;

export interface Build {
  id: string;
  /** The real folder (no symbolic link in between) holding `client/` and `server/`. */
  dir: string;
}

/** The build `dist` points at now, by its real path; undefined when there is none yet. */
export function currentBuild(root: string): Build | undefined {
  const link = join(root, CURRENT);
  if (!existsSync(join(link, 'server', 'entry.mjs'))) return undefined;
  const dir = realpathSync(link);
  // A `dist` folder from before builds had ids: it is its own build, named by its folder.
  const id = basename(dir) === SITE ? basename(dirname(dir)) : basename(dir);
  return { id, dir };
}

export function serverEntry(build: Build): string {
  return join(build.dir, 'server', 'entry.mjs');
}

/** The server processes' entry, bundled beside the site (`bundleWorker`). */
export function workerEntry(build: Build): string {
  return join(dirname(build.dir), WORKER, 'entry.js');
}

/** The build's browser files: hashed assets under _astro/ and copies of public/. */
export function clientDir(build: Build): string {
  return join(build.dir, 'client');
}

/** Marks the build as in use by this process until it exits (see `pruneBuilds`). */
export function holdBuild(build: Build): void {
  const marker = join(dirname(build.dir), MARKER);
  if (existsSync(marker)) holdUseMarker(marker);
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path, { recursive: true, encoding: 'utf8' }).reduce((max, name) => Math.max(max, statSync(join(path, name)).mtimeMs), stat.mtimeMs);
}

/** Sortable by time of creation, unique across processes building at the same moment. */
function newBuildId(): string {
  return `${Date.now().toString(36).padStart(9, '0')}-${randomBytes(3).toString('hex')}`;
}

/** Points `dist` at `target` in one rename, so no reader ever sees it missing or half-switched. */
export function switchCurrent(root: string, target: string): void {
  const link = join(root, CURRENT);
  const stat = lstatSync(link, { throwIfNoEntry: false });
  if (stat && !stat.isSymbolicLink()) {
    // A real `dist` folder (a build made before this layout): rename cannot replace a folder by a
    // link, so it moves among the builds once, where pruning treats it like any old build.
    mkdirSync(join(root, BUILDS), { recursive: true });
    renameSync(link, join(root, BUILDS, `${newBuildId()}-legacy`));
  }
  const temporary = `${link}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  symlinkSync(relative(root, target), temporary);
  renameSync(temporary, link);
}

/**
 * Deletes old builds that no process holds, keeping the current one and the `KEEP_OLD` newest
 * others. A build still served by a running server (or still being built) is left alone.
 */
export function pruneBuilds(root: string): string[] {
  const buildsDir = join(root, BUILDS);
  if (!existsSync(buildsDir)) return [];
  const current = currentBuild(root);
  const old = readdirSync(buildsDir)
    .filter((name) => name !== current?.id)
    .sort()
    .reverse()
    .slice(KEEP_OLD);
  const removed: string[] = [];
  for (const name of old) {
    const folder = join(buildsDir, name);
    if (useMarkerHeld(join(folder, MARKER))) continue;
    rmSync(folder, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Runs `astro build` into a new build folder and makes it the current build. */
export function build(root: string): Build {
  const id = newBuildId();
  const folder = join(root, BUILDS, id);
  mkdirSync(folder, { recursive: true });
  const marker = join(folder, MARKER);
  createUseMarker(marker);
  // Held while building, so that a concurrent prune does not delete the folder under us.
  const building = holdUseMarker(marker);
  try {
    const dir = join(folder, SITE);
    console.log(t('cli.build.building', { id }));
    const result = spawnSync(process.execPath, [join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', '--outDir', dir], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', XIANGXIN_BUILD_ID: id },
    });
    if (result.status !== 0 || !bundleWorker(root, folder)) {
      rmSync(folder, { recursive: true, force: true });
      throw new CliError(t('cli.build.failed'));
    }
    switchCurrent(root, dir);
    pruneBuilds(root);
    return { id, dir };
  } finally {
    building.release();
  }
}

/**
 * Bundles the server processes' code (scripts/lib/start/entry.ts and everything it imports from
 * scripts and src/lib; packages stay imports) into `<folder>/worker/entry.js` with Vite, which
 * Astro builds with already. False when it failed (Vite printed why).
 */
function bundleWorker(root: string, folder: string): boolean {
  const start = join(root, 'scripts', 'lib', 'start');
  // Vite's root is the entry's folder, which has no `public/` to copy and no Vite config.
  const args = ['build', start, '--ssr', join(start, 'entry.ts'), '--outDir', join(folder, WORKER), '--emptyOutDir', '--minify', 'false', '--logLevel', 'warn'];
  return spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), ...args], { cwd: root, stdio: 'inherit' }).status === 0;
}

/** Builds when there is no build or a source is newer than the current one; returns the current build. */
export function buildIfNeeded(root: string): Build {
  const current = currentBuild(root);
  const inputs = ['src', 'scripts', 'public', 'astro.config.mjs', 'package.json'].map((p) => join(root, p)).filter(existsSync);
  if (current && existsSync(workerEntry(current)) && statSync(serverEntry(current)).mtimeMs >= Math.max(...inputs.map(newestMtime))) return current;
  return build(root);
}
