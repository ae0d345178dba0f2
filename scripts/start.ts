/**
 * `npm start`: build when the sources are newer than the last build, migrate and seed the database,
 * then serve the built application from WORKERS processes (node:cluster) through the portal's HTTP
 * server (headers, static files). This process is the primary (scripts/lib/start/primary.ts): it
 * prepares what must happen once, then only watches its workers. Each worker runs the build's
 * bundle of scripts/lib/start/entry.ts (scripts/lib/start/worker.ts): both listeners with its own
 * page cache, and the background jobs while it holds their lease (src/lib/ops/lease.ts).
 */
import { runCli } from './lib/cli.ts';
import { primary } from './lib/start/primary.ts';

await runCli(primary);
