/**
 * Load from this process: autocannon for throughput and latency, and plain sequential requests for
 * the latency of one request at a time. Client and server share the machine's cores.
 */
import autocannon from 'autocannon';
import type { Route } from './routes.ts';
import { routeStats, type RouteStats } from './stats.ts';

/** What a browser sends: compressed responses are what the server really produces. */
export const BROWSER_HEADERS = { 'accept-encoding': 'br, gzip', 'accept-language': 'zh-CN,zh;q=0.9' };

export interface LoadOptions {
  connections: number;
  seconds: number;
}

/** Runs autocannon, reporting each response's status and latency (float ms). */
export function run(options: autocannon.Options, onResponse: (status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, result) => (err ? reject(err) : resolve(result)));
    // autocannon 9 passes the client first, unlike its type definition.
    instance.on('response', ((_client: unknown, status: number, _bytes: number, ms: number) => onResponse(status, ms)) as never);
  });
}

/** Runs autocannon and keeps every latency (float ms) so any percentile can be computed. */
export async function hammer(base: string, route: Route, options: LoadOptions): Promise<RouteStats> {
  const latencies: number[] = [];
  let unexpected = 0;
  const result = await run({ url: base + route.path, connections: options.connections, duration: options.seconds, headers: BROWSER_HEADERS }, (status, ms) => {
    if (status === 200) latencies.push(ms);
    else unexpected++;
  });
  return routeStats(route.name, latencies, result.duration, unexpected + result.errors + result.timeouts);
}

/** Latencies of `paths` requested one after another (no queueing), in ms; throws on a non-200. */
export async function sequential(base: string, paths: string[]): Promise<number[]> {
  const latencies: number[] = [];
  for (const path of paths) {
    const start = performance.now();
    const res = await fetch(base + path, { headers: BROWSER_HEADERS });
    await res.arrayBuffer();
    latencies.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  return latencies;
}
