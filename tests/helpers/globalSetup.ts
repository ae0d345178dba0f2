import { projectRoot } from '../../src/lib/db/index.ts';
import { buildIfNeeded } from '../../scripts/lib/build.ts';

/** Integration tests run the real built server; build once before any of them starts one. */
export default function setup(): void {
  buildIfNeeded(projectRoot());
}
