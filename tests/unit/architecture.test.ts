import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

/**
 * The architecture rules for what dependency-cruiser cannot read: .astro files. Their frontmatter
 * imports are parsed here with a regex; `npm run arch` checks the .ts files with the same rules.
 */
const root = join(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IConfiguration;

function astroFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.astro'))
    .map((f) => join(dir, f));
}

function frontmatter(file: string): string {
  return /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(root, file), 'utf8'))?.[1] ?? '';
}

/** Import specifiers of a frontmatter, resolved to repository paths where relative. */
function imports(file: string): string[] {
  const specs = [...frontmatter(file).matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) => (s.startsWith('.') ? relative(root, join(root, file, '..', s)) : s));
}

const uiFiles = [...astroFiles('src/components'), ...astroFiles('src/layouts')];
const pageFiles = astroFiles('src/pages');

describe('architecture of .astro files', () => {
  it('finds the files and their imports (the checks below are not vacuous)', () => {
    expect(uiFiles.length).toBeGreaterThan(50);
    expect(pageFiles.length).toBeGreaterThan(50);
    expect(imports('src/pages/index.astro')).toContain('src/layouts/baseLayout.astro');
  });

  it('components and layouts render what they are given: no getDb() and no database module', () => {
    const offenders = uiFiles.filter((f) => frontmatter(f).includes('getDb(') || imports(f).some((i) => i.startsWith('src/lib/db/') || i === 'better-sqlite3'));
    expect(offenders).toEqual([]);
  });

  it('pages hold no SQL: of the database modules only getDb() and the health probe', () => {
    const allowed = new Set(['src/lib/db/index.ts', 'src/lib/db/health.ts']);
    const offenders = pageFiles.filter((f) => imports(f).some((i) => (i.startsWith('src/lib/db/') && !allowed.has(i)) || i === 'better-sqlite3'));
    expect(offenders).toEqual([]);
  });

  it('pages, components and layouts (.astro and .ts) prepare no SQL of their own', () => {
    const files = ['src/pages', 'src/components', 'src/layouts'].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.(astro|ts)$/.test(f))
        .map((f) => join(dir, f)),
    );
    const sql = /\.prepare\(|\bstmt\(|\b(SELECT|INSERT INTO|DELETE FROM)\b[^\n]*\b(FROM|VALUES|WHERE)\b/;
    expect(files.filter((f) => sql.test(readFileSync(join(root, f), 'utf8')))).toEqual([]);
  });

  it('no page, component or layout imports from tests/', () => {
    expect([...uiFiles, ...pageFiles].filter((f) => imports(f).some((i) => i.startsWith('tests/')))).toEqual([]);
  });
});

describe('the dependency-cruiser rules', () => {
  it('fail on a deliberate import cycle', async () => {
    const result = await cruise(['tests/fixtures/architecture/cycle'], { ...config.options, ruleSet: config, validate: true });
    if (typeof result.output === 'string') throw new Error('expected the cruise result as an object');
    const rules = result.output.summary.violations.map((v) => [v.rule.name, v.from]);
    expect(rules).toContainEqual(['no-circular', 'tests/fixtures/architecture/cycle/a.ts']);
  });
});
