import { startOfDay } from '../time.ts';
import type { SeriesPoint } from './board.ts';
import { yuan } from './types.ts';

export interface ChartFrame {
  width: number;
  height: number;
  /** Room for the axis labels, in SVG units. */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

export const CHART_FRAME: ChartFrame = { width: 640, height: 280, left: 56, bottom: 28, top: 12, right: 12 };

export interface ChartGeometry {
  /** The min–max band as an SVG path (empty when no point has a range). */
  band: string;
  /** The average line as SVG polyline points. */
  line: string;
  /** Dots for series too short to show as a line. */
  dots: { x: number; y: number }[];
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
}

const DAY = 24 * 3600_000;
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Geometry of a trend chart from `from` to `to` (days, `YYYY-MM-DD`): x is the day (gaps in the
 * data stay gaps in time), y the price in fen, padded so the band never touches the frame.
 */
export function chartGeometry(points: SeriesPoint[], from: string, to: string, frame: ChartFrame = CHART_FRAME): ChartGeometry {
  const start = startOfDay(from)!;
  const span = Math.max(DAY, startOfDay(to)! - start);
  const plotW = frame.width - frame.left - frame.right;
  const plotH = frame.height - frame.top - frame.bottom;
  const lows = points.map((p) => p.minFen ?? p.avgFen);
  const highs = points.map((p) => p.maxFen ?? p.avgFen);
  const low = Math.min(...lows);
  const high = Math.max(...highs);
  const pad = Math.max(1, Math.round((high - low) * 0.1));
  const bottom = Math.max(0, low - pad);
  const top = high + pad;
  const x = (day: string) => round(frame.left + ((startOfDay(day)! - start) / span) * plotW);
  const y = (fen: number) => round(frame.top + (1 - (fen - bottom) / (top - bottom)) * plotH);
  const ranged = points.filter((p) => p.minFen !== null && p.maxFen !== null);
  const band =
    ranged.length < 2
      ? ''
      : `M${ranged.map((p) => `${x(p.observedOn)},${y(p.maxFen!)}`).join('L')}L${[...ranged]
          .reverse()
          .map((p) => `${x(p.observedOn)},${y(p.minFen!)}`)
          .join('L')}Z`;
  const line = points.map((p) => `${x(p.observedOn)},${y(p.avgFen)}`).join(' ');
  const dots = points.length < 3 ? points.map((p) => ({ x: x(p.observedOn), y: y(p.avgFen) })) : [];
  const yTicks = [0, 0.5, 1].map((f) => {
    const fen = Math.round(bottom + f * (top - bottom));
    return { y: y(fen), label: yuan(fen) };
  });
  const xTicks = [from, to].map((day) => ({ x: x(day), label: day }));
  return { band, line, dots, yTicks, xTicks };
}
