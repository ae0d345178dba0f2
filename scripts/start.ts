/**
 * `npm start`: build when the sources are newer than the last build, migrate and seed the database,
 * then serve the built application from WORKERS processes (node:cluster) through the portal's HTTP
 * server (headers, static files). The primary process (scripts/lib/start/primary.ts) prepares what
 * must happen once, then only watches its workers; each worker (scripts/lib/start/worker.ts) serves
 * both listeners with its own page cache, and the one holding the jobs lease (src/lib/ops/lease.ts)
 * runs the background jobs. Each side loads only its own modules.
 */
import cluster from 'node:cluster';
import { runCli } from './lib/cli.ts';

await runCli(async () => (cluster.isPrimary ? (await import('./lib/start/primary.ts')).primary() : (await import('./lib/start/worker.ts')).worker()));
