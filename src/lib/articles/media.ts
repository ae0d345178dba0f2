import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mediaDir, writeFileAtomic } from '../media/store.ts';

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
  writeFileAtomic(pathOf(hash), bytes);
  return hash;
}

export function readMedia(hash: string): Buffer | undefined {
  const path = pathOf(hash);
  return existsSync(path) ? readFileSync(path) : undefined;
}

export function removeMedia(hash: string): void {
  rmSync(pathOf(hash), { force: true });
}
