import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/lib/db/index.ts';

/** The nginx configuration operators copy from docs/OPERATIONS.md, one entry per `server` block. */
function serverBlocks(): string[] {
  const doc = readFileSync(join(projectRoot(), 'docs', 'OPERATIONS.md'), 'utf8');
  const config = /```nginx\n([^]*?)```/.exec(doc)?.[1] ?? '';
  return config.split(/^server\s*\{/m).slice(1);
}

describe('the nginx example in docs/OPERATIONS.md', () => {
  it('sends HSTS for at least a year from the TLS server, also on error answers', () => {
    const tls = serverBlocks().filter((block) => /listen\s+443\s+ssl/.test(block));
    expect(tls).toHaveLength(1);
    const header = /^\s*add_header\s+Strict-Transport-Security\s+"([^"]+)"\s+always;/m.exec(tls[0]!);
    expect(header, 'add_header Strict-Transport-Security … always;').not.toBeNull();
    const maxAge = Number(/max-age=(\d+)/.exec(header![1]!)?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
    // preload is a one-way door: the example must not commit every deployment to it.
    expect(header![1]).not.toMatch(/preload/);
  });

  it('redirects plain HTTP to HTTPS', () => {
    const plain = serverBlocks().filter((block) => /listen\s+80;/.test(block));
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatch(/return\s+301\s+https:\/\/\$host\$request_uri;/);
  });
});
