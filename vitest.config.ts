import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration files spend much of their time waiting on the servers they start: two files at
    // a time keep two cores busy (vitest would run one on a 2-core machine). At most four, so that
    // timing checks do not run on an overloaded machine elsewhere.
    maxWorkers: Math.min(4, Math.max(2, availableParallelism())),
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
