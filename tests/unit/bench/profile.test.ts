import { describe, expect, it } from 'vitest';
import { fileOf, packageOf, selfTimes, type CpuProfile } from '../../../scripts/lib/bench/profile.ts';
import { statCpuMs } from '../../../scripts/lib/bench/server.ts';

const root = '/srv/xiangxin';

describe('the CPU profile summary', () => {
  it('names the package of a script: npm packages (scoped too), Node, the built site, our sources', () => {
    expect(packageOf('file:///srv/xiangxin/node_modules/astro/dist/runtime/server/render.js', root)).toBe('astro');
    expect(packageOf('file:///srv/xiangxin/node_modules/@astrojs/node/dist/serve-static.js', root)).toBe('@astrojs/node');
    expect(packageOf('node:zlib', root)).toBe('node (built-in)');
    expect(packageOf('', root)).toBe('(V8: GC, idle, native)');
    expect(packageOf('file:///srv/xiangxin/dist-builds/abc/site/server/chunks/statements_KBcSputq.mjs', root)).toBe('our pages and src/lib (built)');
    expect(packageOf('file:///srv/xiangxin/src/lib/db/statements.ts', root)).toBe('our scripts and src/lib (unbundled)');
  });

  it('names a built chunk after its module, without the hash', () => {
    expect(fileOf('file:///srv/xiangxin/dist-builds/abc/site/server/chunks/statements_KBcSputq.mjs', root)).toBe('build: statements');
    expect(fileOf('file:///srv/xiangxin/dist/server/entry.mjs', root)).toBe('build: entry');
    expect(fileOf('file:///srv/xiangxin/node_modules/@astrojs/node/dist/serve-static.js', root)).toBe('@astrojs/node/dist/serve-static.js');
    expect(fileOf('file:///srv/xiangxin/scripts/start.ts', root)).toBe('scripts/start.ts');
  });

  it('adds up the time before each sample to the sampled frame, largest first', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('render', 'file:///srv/xiangxin/node_modules/astro/a.js') },
        { id: 3, callFrame: frame('many', 'file:///srv/xiangxin/dist/server/chunks/statements_KBcSputq.mjs') },
        { id: 4, callFrame: frame('escape', 'file:///srv/xiangxin/node_modules/astro/b.js') },
      ],
      samples: [2, 3, 3, 4, 1],
      timeDeltas: [1000, 2000, 3000, 1000, 3000],
    };
    expect(selfTimes(profile, (f) => f.functionName)).toEqual([
      { name: 'many', ms: 5, share: 0.5 },
      { name: '(root)', ms: 3, share: 0.3 },
      { name: 'escape', ms: 1, share: 0.1 },
      { name: 'render', ms: 1, share: 0.1 },
    ]);
    expect(selfTimes(profile, (f) => packageOf(f.url, root)).map((r) => [r.name, r.ms])).toEqual([
      ['our pages and src/lib (built)', 5],
      ['(V8: GC, idle, native)', 3],
      ['astro', 2],
    ]);
  });
});

describe('server CPU time from /proc/<pid>/stat', () => {
  it('adds user and system ticks (fields 14 and 15), whatever spaces the command name holds', () => {
    const fields = (name: string) => `4242 (${name}) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 37 0 0 20 0 11 0 1234 0 0`;
    expect(statCpuMs(fields('node'))).toBe(2870);
    expect(statCpuMs(fields('node (worker) 2'))).toBe(2870);
  });
});
