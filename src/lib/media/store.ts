import { mkdirSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../config.ts';

/** Where uploaded files live: `MEDIA_DIR`, or `media/` in the project (git-ignored). */
export function mediaDir(): string {
  return config().MEDIA_DIR;
}

export function originalPath(sha256: string): string {
  return join(mediaDir(), 'originals', sha256.slice(0, 2), sha256);
}

export function variantPath(sha256: string, width: number): string {
  return join(mediaDir(), 'variants', sha256.slice(0, 2), sha256, `${width}.webp`);
}

/** Writes atomically (temp file + rename), so a crash never leaves half a file under the real name. */
export function writeFileAtomic(path: string, data: Buffer): void {
  if (existsSync(path)) return;
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
