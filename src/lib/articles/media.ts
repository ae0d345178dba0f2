import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { projectRoot } from '../db/index.ts';

/** Where uploaded bytes live: MEDIA_DIR, or `media/` in the project (git-ignored). */
export function mediaDir(): string {
  return resolve(process.env.MEDIA_DIR ?? join(projectRoot(), 'media'));
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function pathOf(hash: string): string {
  return join(mediaDir(), hash.slice(0, 2), hash);
}

/**
 * Stores bytes under their SHA-256 and returns it. Files are named by content, so storing before
 * the database row commits is safe: a rolled-back upload leaves an unreferenced file, never a wrong one.
 */
export function storeMedia(bytes: Buffer): string {
  const hash = sha256(bytes);
  const target = pathOf(hash);
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, target);
  }
  return hash;
}

export function readMedia(hash: string): Buffer | undefined {
  const path = pathOf(hash);
  return existsSync(path) ? readFileSync(path) : undefined;
}

export function removeMedia(hash: string): void {
  rmSync(pathOf(hash), { force: true });
}
