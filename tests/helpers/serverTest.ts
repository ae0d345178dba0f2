import { test } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/db/index.ts';
import { startServer, type RunningServer } from './server.ts';
import { tempDir } from './tempDb.ts';

export interface TestServer extends RunningServer {
  /** Its DATABASE_PATH and MEDIA_DIR, in a folder of the file's own that goes with it. */
  databasePath: string;
  mediaDir: string;
  /** A path in that folder, for the test's own scratch files. */
  file: (name: string) => string;
}

/**
 * `test` with a `server` started once per test file (on a copy of the seeded template, in its own
 * folder, with `env` on top) and a `db` connection to its database; both end with the file.
 */
export function serverTest(env: Record<string, string> = {}) {
  return (
    test
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern, and this one has none.
      .extend('server', { scope: 'file' }, async ({}, { onCleanup }): Promise<TestServer> => {
        const tmp = tempDir();
        const databasePath = tmp.file('server.sqlite');
        const mediaDir = tmp.file('media');
        try {
          const running = await startServer({ DATABASE_PATH: databasePath, MEDIA_DIR: mediaDir, ...env });
          onCleanup(async () => {
            await running.stop();
            tmp.cleanup();
          });
          return { ...running, databasePath, mediaDir, file: tmp.file };
        } catch (err) {
          tmp.cleanup();
          throw err;
        }
      })
      .extend('db', { scope: 'file' }, async ({ server }, { onCleanup }): Promise<Db> => {
        const db = openDatabase(server.databasePath);
        onCleanup(() => {
          db.close();
        });
        return db;
      })
  );
}
