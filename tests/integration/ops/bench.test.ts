import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/lib/db/index.ts';

describe('npm run bench', () => {
  it('stops with exit 1 and a message on a bad option, before generating anything', () => {
    const run = spawnSync(process.execPath, [join(projectRoot(), 'scripts', 'bench.ts'), '--rounds', 'many'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--rounds must be a whole number from 1 to 10.');
    expect(run.stdout).not.toContain('Generating');
  });
});
