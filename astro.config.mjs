// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { buildId } from './src/lib/config.ts';
import { MAX_BODY_BYTES } from './src/lib/http/limits.ts';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware', bodySizeLimit: MAX_BODY_BYTES }),
  // Sign-in sessions are ours (lucia behind src/lib/auth/session.ts, in SQLite); Astro's own session store is not used.
  session: false,
  // Our middleware checks the origin of form posts (src/lib/http/origin.ts): it knows the reverse
  // proxy and answers in the reader's language.
  security: { checkOrigin: false },
  server: { host: '127.0.0.1', port: 4321 },
  // Server output always adds Astro's /_image endpoint; we never use it (src/lib/http/imageEndpoint.ts).
  image: { endpoint: { route: '/_image', entrypoint: './src/lib/http/imageEndpoint.ts' } },
  // The Content-Security-Policy allows no inline styles or scripts: every stylesheet and script is a file.
  build: { inlineStylesheets: 'never' },
  vite: {
    build: { assetsInlineLimit: 0 },
    // The common-password list is loaded from node_modules at run time, not copied into the bundle.
    ssr: { external: ['better-sqlite3', 'sharp', '@zxcvbn-ts/language-common'] },
    // Names this build; the service worker keys its caches by it, so a deploy starts fresh caches,
    // and /healthz reports it. `npm run build` passes the id of the build folder it builds into.
    define: { __BUILD_ID__: JSON.stringify(buildId()) },
  },
});
