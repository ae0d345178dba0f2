import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli.ts';

export function serverEntry(root: string): string {
  return join(root, 'dist', 'server', 'entry.mjs');
}

/** The build's browser files: hashed assets under _astro/ and copies of public/. */
export function clientDir(root: string): string {
  return join(root, 'dist', 'client');
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Runs `astro build` when there is no build or a source is newer than it. */
export function buildIfNeeded(root: string): void {
  const entry = serverEntry(root);
  const inputs = ['src', 'public', 'astro.config.mjs', 'package.json'].map((p) => join(root, p)).filter(existsSync);
  if (existsSync(entry) && statSync(entry).mtimeMs >= Math.max(...inputs.map(newestMtime))) return;
  console.log('Building the site (astro build)…');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new CliError('The build failed; see the output above.');
}
