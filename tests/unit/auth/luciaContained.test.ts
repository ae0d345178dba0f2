import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// Lucia v3 is deprecated upstream; kept behind one module, it can be replaced without touching pages.
describe('lucia', () => {
  it('is imported by src/lib/auth/session.ts and no other source or script', async () => {
    const importers: string[] = [];
    for (const dir of ['src', 'scripts']) {
      for (const file of await readdir(dir, { recursive: true })) {
        if (!/\.(ts|astro|mjs)$/.test(file)) continue;
        const path = `${dir}/${file}`;
        if (/from ['"]lucia['"]|import\(['"]lucia['"]\)/.test(await readFile(path, 'utf8'))) importers.push(path);
      }
    }
    expect(importers).toEqual(['src/lib/auth/session.ts']);
  });
});
