import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listeningOrigin, siteUrl, siteUrlProblem } from '../../../src/lib/site.ts';

const KEYS = ['SITE_URL', 'HOST', 'PORT'] as const;

describe('the public address of feeds, the sitemap and robots.txt', () => {
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
    for (const k of KEYS) delete process.env[k];
  });
  afterEach(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('is SITE_URL when set, whatever the server listens on', () => {
    Object.assign(process.env, { SITE_URL: 'https://xinxi.example.gov.cn/portal/', HOST: '127.0.0.1', PORT: '8080' });
    expect(siteUrl()).toBe('https://xinxi.example.gov.cn');
    expect(siteUrlProblem()).toBeUndefined();
  });

  it.each([
    [{ HOST: '127.0.0.1', PORT: '8080' }, 'http://127.0.0.1:8080'],
    [{ HOST: '10.0.0.5', PORT: '4500' }, 'http://10.0.0.5:4500'],
    [{ HOST: '0.0.0.0', PORT: '4500' }, 'http://localhost:4500'],
    [{ HOST: '::', PORT: '4500' }, 'http://localhost:4500'],
    [{ HOST: '::1', PORT: '4500' }, 'http://[::1]:4500'],
    [{ HOST: 'portal.lan', PORT: '80' }, 'http://portal.lan'],
    [{}, 'http://127.0.0.1:4321'],
  ])('without SITE_URL is the listening address (%j → %s)', (env, expected) => {
    Object.assign(process.env, env);
    expect(listeningOrigin()).toBe(expected);
    expect(siteUrl()).toBe(expected);
    expect(siteUrlProblem()).toBe('unset');
  });

  it.each(['not a url', 'ftp://files.example', 'javascript:alert(1)', 'xinxi.example.gov.cn'])('ignores the unusable SITE_URL %j and says so', (value) => {
    Object.assign(process.env, { SITE_URL: value, HOST: '127.0.0.1', PORT: '5000' });
    expect(siteUrl()).toBe('http://127.0.0.1:5000');
    expect(siteUrlProblem()).toBe('invalid');
  });
});
