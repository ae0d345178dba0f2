/**
 * Architecture rules, checked by `npm run check` (depcruise). dependency-cruiser cannot parse .astro
 * files, so tests/unit/architecture.test.ts applies the page and component rules to their frontmatter.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order matter and the pieces impossible to understand alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-to-http',
      severity: 'error',
      comment: 'Domain modules take plain values; request parsing and form helpers belong to src/lib/http.',
      from: { path: '^src/lib/', pathNot: '^src/lib/http/' },
      to: { path: '^src/lib/http/' },
    },
    {
      name: 'lib-not-to-ui',
      severity: 'error',
      comment: 'Library code never reaches up into pages, components or layouts.',
      from: { path: '^(src/lib|scripts)/' },
      to: { path: '^src/(pages|components|layouts)/' },
    },
    {
      name: 'ui-no-sql',
      severity: 'error',
      comment: 'Pages and components never hold SQL: only getDb() from src/lib/db/index.ts (for pages to hand to domain functions) and the health probe.',
      from: { path: '^src/(pages|components|layouts)/' },
      to: { path: ['^src/lib/db/(?!(index|health)\\.ts$)', 'better-sqlite3'] },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      comment: 'Shipped code never depends on test helpers or fixtures.',
      from: { path: '^(src|scripts)/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.json'] },
    skipAnalysisNotInRules: true,
  },
};
