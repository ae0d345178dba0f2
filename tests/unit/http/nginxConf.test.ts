import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplate, NGINX_CONF } from '../../../scripts/lib/nginx.ts';
import { SESSION_COOKIE } from '../../../src/lib/auth/session.ts';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { LARGEST_BODY_BYTES } from '../../../src/lib/http/bodyLimits.ts';

const conf = readFileSync(NGINX_CONF, 'utf8');
const doc = readFileSync(join(projectRoot(), 'docs', 'OPERATIONS.md'), 'utf8');

/** The configuration's `server` blocks, one entry each. */
const serverBlocks = (): string[] => conf.split(/^server\s*\{/m).slice(1);

/** nginx's size syntax: bytes, or k/m/g. */
function bytes(size: string): number {
  const [, amount, unit] = /^(\d+)([kmg]?)$/i.exec(size) ?? [];
  return Number(amount) * 1024 ** ' kmg'.indexOf((unit || ' ').toLowerCase());
}

describe('docs/nginx/xiangxin.conf', () => {
  it('is shown whole in docs/OPERATIONS.md, with a value for each placeholder', () => {
    const shown = /## nginx\n[^]*?```nginx\n([^]*?)```/.exec(doc)?.[1];
    expect(shown).toBe(conf);
    const placeholders = new Set([...conf.matchAll(/\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]));
    const documented = new Set([...doc.matchAll(/^\| `\{\{([A-Z_]+)\}\}` \|/gm)].map((m) => m[1]));
    expect(documented).toEqual(placeholders);
  });

  it('fills every placeholder and refuses a missing value', () => {
    const values = Object.fromEntries([...conf.matchAll(/\{\{([A-Z_]+)\}\}/g)].map((m) => [m[1], 'x']));
    expect(fillTemplate(conf, values)).not.toMatch(/\{\{[A-Z_]+\}\}/);
    expect(() => fillTemplate(conf, { ...values, APP: undefined as unknown as string })).toThrow(/APP/);
  });

  it('sends HSTS for at least a year from the TLS server, also on error answers', () => {
    const tls = serverBlocks().filter((block) => /^\s*listen\s+\S+\s+ssl\b/m.test(block));
    expect(tls).toHaveLength(1);
    const header = /^\s*add_header\s+Strict-Transport-Security\s+"([^"]+)"\s+always;/m.exec(tls[0]!);
    expect(header, 'add_header Strict-Transport-Security … always;').not.toBeNull();
    const maxAge = Number(/max-age=(\d+)/.exec(header![1]!)?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
    // preload is a one-way door: the example must not commit every deployment to it.
    expect(header![1]).not.toMatch(/preload/);
  });

  it('redirects plain HTTP to HTTPS', () => {
    const plain = serverBlocks().filter((block) => !/\bssl\b/.test(block));
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatch(/return\s+301\s+https:\/\/\$host\$request_uri;/);
  });

  it('lets through exactly the largest body the server takes', () => {
    const size = /^\s*client_max_body_size\s+(\S+);/m.exec(conf)?.[1];
    expect(size).toBeDefined();
    expect(bytes(size!)).toBe(LARGEST_BODY_BYTES);
  });

  it("caches only by the portal's X-Accel-Expires and never for a session or Authorization", () => {
    expect(conf).toMatch(/^\s*proxy_ignore_headers\s+Cache-Control\s+Expires;/m);
    expect(conf).not.toMatch(/proxy_cache_valid|proxy_ignore_headers[^;]*(X-Accel-Expires|Set-Cookie)/);
    for (const directive of ['proxy_cache_bypass', 'proxy_no_cache']) {
      expect(conf).toMatch(new RegExp(`^\\s*${directive}\\s+\\$cookie_${SESSION_COOKIE}\\s+\\$http_authorization;`, 'm'));
    }
  });
});
