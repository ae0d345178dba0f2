// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone', bodySizeLimit: 100 * 1024 * 1024 }),
  // Sign-in sessions are ours (lucia in SQLite); Astro's own session store is not used.
  session: false,
  security: { checkOrigin: true },
  server: { host: '127.0.0.1', port: 4321 },
  vite: {
    ssr: { external: ['better-sqlite3', 'sharp'] },
  },
});
