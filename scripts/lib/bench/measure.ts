/**
 * Load from this process: autocannon for throughput and latency, and plain sequential requests for
 * the latency of one request at a time. Client and server share the machine's cores.
 */
import autocannon from 'autocannon';
import { routeStats, type RouteStats } from './stats.ts';

/**
 * What a browser sends: compressed responses are what the server really produces, and a phone
 * browser's user agent is what the usage counter checks against its robot list on every page.
 */
export const BROWSER_HEADERS = {
  'accept-encoding': 'br, gzip',
  'accept-language': 'zh-CN,zh;q=0.9',
  'user-agent': 'Mozilla/5.0 (Linux; Android 13; V2219A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
};

/** What a hard reload sends: the server renders the page instead of giving a kept copy. */
export const RENDER_HEADERS = { ...BROWSER_HEADERS, 'cache-control': 'no-cache' };

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

/** What one load run saw: every latency of a 200 (float ms), its length, and everything else as errors. */
export interface Sample {
  latencies: number[];
  seconds: number;
  errors: number;
}

export async function hammer(base: string, path: string, headers: Record<string, string>, options: LoadOptions): Promise<Sample> {
  const latencies: number[] = [];
  let unexpected = 0;
  const result = await run({ url: base + path, connections: options.connections, duration: options.seconds, headers }, (status, ms) => {
    if (status === 200) latencies.push(ms);
    else unexpected++;
  });
  return { latencies, seconds: result.duration, errors: unexpected + result.errors + result.timeouts };
}

/** Several runs of one route as one: their latencies pooled, their durations and errors added. */
export function pooled(name: string, samples: Sample[]): RouteStats {
  const sum = (f: (s: Sample) => number) => samples.reduce((total, s) => total + f(s), 0);
  return routeStats(
    name,
    samples.flatMap((s) => s.latencies),
    sum((s) => s.seconds),
    sum((s) => s.errors),
  );
}

/** Latencies of `paths` requested one after another (no queueing), in ms; throws on a non-200. */
export async function sequential(base: string, paths: string[], headers: Record<string, string>): Promise<number[]> {
  const latencies: number[] = [];
  for (const path of paths) {
    const start = performance.now();
    const res = await fetch(base + path, { headers });
    await res.arrayBuffer();
    latencies.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  return latencies;
}
