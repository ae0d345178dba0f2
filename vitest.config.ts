import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/helpers/globalSetup.ts'],
    // Uploaded test images go to a scratch folder, never into the project's media/.
    env: { MEDIA_DIR: join(tmpdir(), 'xiangxin-test-media') },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
