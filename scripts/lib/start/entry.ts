/**
 * A server process's entry as `npm run build` bundles it (scripts/lib/build.ts, `bundleWorker`):
 * plain JavaScript beside the built site, so a worker never loads Node's TypeScript stripper,
 * whose WebAssembly memory (20-40 MB) each worker used to keep for its whole life.
 */
import { runCli } from '../cli.ts';
import { worker } from './worker.ts';

await runCli(worker);
