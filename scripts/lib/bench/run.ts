/**
 * Measured runs on several datasets at once: one server per dataset, and each route measured on
 * every server back to back, so that a change in the load of a shared machine hits all datasets
 * alike. Then many different searches, one at a time.
 */
import { hammer, sequential, type LoadOptions } from './measure.ts';
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
  searches: string[];
  load: LoadOptions;
  /** Seconds of load on each route before it is measured (caches and JIT warm, as on a live server). */
  warmSeconds: number;
}

export async function measureRuns(datasets: Dataset[], plan: RunPlan, log: (line: string) => void): Promise<Run[]> {
  const servers: BenchServer[] = [];
  try {
    for (const d of datasets) servers.push(await startServer({ DATABASE_PATH: d.databasePath, MEDIA_DIR: plan.mediaDir }));
    const routes: RouteStats[][] = datasets.map(() => []);
    for (const route of plan.routes) {
      for (const [i, server] of servers.entries()) {
        await hammer(server.url, route, { ...plan.load, seconds: plan.warmSeconds });
        const stats = await hammer(server.url, route, plan.load);
        log(`  ${datasets[i]!.label} ${route.name}: ${stats.rate.toFixed(0)} req/s, p99 ${stats.p99.toFixed(1)} ms`);
        routes[i]!.push(stats);
      }
    }
    const paths = plan.searches.map((q) => `/search?q=${encodeURIComponent(q)}`);
    const runs: Run[] = [];
    for (const [i, server] of servers.entries()) {
      const latencies = await sequential(server.url, paths);
      const search = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), count: latencies.length };
      runs.push({ label: datasets[i]!.label, routes: routes[i]!, search, peakRssMb: server.peakRssMb() });
    }
    return runs;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
