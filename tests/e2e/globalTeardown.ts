import { rmSync } from 'node:fs';
import { E2E_DIR } from '../../playwright.config.ts';

/** The run's database, media and upload files go once the browser tests are done. */
export default function teardown(): void {
  rmSync(E2E_DIR, { recursive: true, force: true });
}
