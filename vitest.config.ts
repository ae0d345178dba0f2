import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      // Pure tests: no build, no template database, so `npm run test:unit` starts at once.
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/helpers/globalSetup.ts'],
          // Uploaded test images go to a scratch folder, never into the project's media/; one per
          // run, removed by globalSetup's teardown.
          env: { MEDIA_DIR: join(tmpdir(), `xiangxin-test-media-${process.pid}`) },
        },
      },
    ],
  },
});
