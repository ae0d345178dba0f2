/**
 * Measured runs on several datasets at once: one server per dataset, each route measured on every
 * server back to back, then many different searches, one at a time.
 */
import { hammer, pooled, RENDER_HEADERS, sequential, type LoadOptions, type Sample } from './measure.ts';
import type { Run } from './report.ts';
import type { Route } from './routes.ts';
import { startServer, type BenchServer } from './server.ts';
import { percentile, type RouteStats } from './stats.ts';

export interface Dataset {
  label: string;
  databasePath: string;
}

export interface RunPlan {
  mediaDir: string;
  routes: Route[];
  /** Different queries for the search latency: some to warm the server up, then those measured. */
  searches: { warmUp: string[]; measured: string[] };
  load: LoadOptions;
  /** Seconds of load on each route before it is measured (caches and JIT warm, as on a live server). */
  warmSeconds: number;
}

/**
 * Each route is measured in halves, in the order A B B A (and so on for more datasets), after a
 * warm-up of each: a machine getting busier or quieter during the route shifts every dataset alike.
 */
export async function measureRuns(datasets: Dataset[], plan: RunPlan, log: (line: string) => void): Promise<Run[]> {
  const servers: BenchServer[] = [];
  try {
    for (const d of datasets) servers.push(await startServer({ DATABASE_PATH: d.databasePath, MEDIA_DIR: plan.mediaDir }));
    const indexes = servers.map((_, i) => i);
    const routes: RouteStats[][] = datasets.map(() => []);
    const half = { ...plan.load, seconds: plan.load.seconds / 2 };
    for (const route of plan.routes) {
      for (const server of servers) await hammer(server.url, route.path, route.headers, { ...plan.load, seconds: plan.warmSeconds });
      const samples: Sample[][] = datasets.map(() => []);
      for (const i of [...indexes, ...[...indexes].reverse()]) samples[i]!.push(await hammer(servers[i]!.url, route.path, route.headers, half));
      for (const i of indexes) {
        const stats = pooled(route.name, samples[i]!);
        log(`  ${datasets[i]!.label} ${route.name}: ${stats.rate.toFixed(0)} req/s, p99 ${stats.p99.toFixed(1)} ms`);
        routes[i]!.push(stats);
      }
    }
    const paths = (queries: string[]) => queries.map((q) => `/search?q=${encodeURIComponent(q)}`);
    const runs: Run[] = [];
    for (const [i, server] of servers.entries()) {
      // Each search rendered, not a kept copy: this measures the search itself. The warm-up's
      // queries differ from the measured ones, so it warms the JIT and the index's upper pages
      // (as on a live server), not the measured answers.
      await sequential(server.url, paths(plan.searches.warmUp), RENDER_HEADERS);
      const latencies = await sequential(server.url, paths(plan.searches.measured), RENDER_HEADERS);
      const search = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), count: latencies.length };
      // The serving process, as the target was set when the server was one process; the primary
      // of `npm start` (setup only, about 140 MB) comes on top (docs/PERFORMANCE.md, All cores).
      runs.push({ label: datasets[i]!.label, routes: routes[i]!, search, peakRssMb: server.workerPeakRssMb() });
    }
    return runs;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
