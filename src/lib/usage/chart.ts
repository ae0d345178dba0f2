import { CHART_FRAME, type ChartFrame } from '../prices/chart.ts';
import type { DayViews } from './stats.ts';

export interface ViewsChart {
  /** Views per day as SVG polyline points (one point per day, 0 where nobody came). */
  line: string;
  /** A dot per day when there are too few days to read a line. */
  dots: { x: number; y: number }[];
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A round top for the y axis (2, 4 or 10 times a power of ten), so the top and its half are whole numbers. */
export function niceCeiling(n: number): number {
  if (n <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 4, 10].find((m) => m * power >= n) ?? 10) * power;
}

/** Geometry of the views-over-time chart drawn on the server, in the price trends' frame. */
export function viewsChart(points: DayViews[], frame: ChartFrame = CHART_FRAME): ViewsChart {
  const plotW = frame.width - frame.left - frame.right;
  const plotH = frame.height - frame.top - frame.bottom;
  const top = niceCeiling(Math.max(0, ...points.map((p) => p.views)));
  const step = points.length > 1 ? plotW / (points.length - 1) : 0;
  const x = (i: number) => round(frame.left + (points.length > 1 ? i * step : plotW / 2));
  const y = (views: number) => round(frame.top + (1 - views / top) * plotH);
  const line = points.map((p, i) => `${x(i)},${y(p.views)}`).join(' ');
  const dots = points.length < 3 ? points.map((p, i) => ({ x: x(i), y: y(p.views) })) : [];
  const yTicks = [0, 0.5, 1].map((f) => ({ y: y(f * top), label: String(f * top) }));
  const xTicks = points.length === 0 ? [] : [0, points.length - 1].map((i) => ({ x: x(i), label: points[i]!.day }));
  return { line, dots, yTicks, xTicks };
}
