/**
 * The scorecard's figures and their weights, from SCORE_WEIGHTS: `FIGURE=WEIGHT,…`, e.g.
 * `coverage=25,freshness=20,listings=15,trainings=15,reports=10,questions=15`. A figure left out keeps its
 * default weight; a weight of 0 leaves the figure out of the score. A figure joins by a name here and a
 * line in scorecard.ts.
 */
import { ConfigEntryError } from '../validation/configEntry.ts';
export const SCORE_FIGURES = ['coverage', 'freshness', 'listings', 'trainings', 'reports', 'questions'] as const;
export type ScoreFigure = (typeof SCORE_FIGURES)[number];
export type ScoreWeights = Record<ScoreFigure, number>;

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = { coverage: 25, freshness: 20, listings: 15, trainings: 15, reports: 10, questions: 15 };

const ENTRY = /^([a-z]+)=(\d{1,3})$/;

export function parseScoreWeights(raw: string | undefined): ScoreWeights {
  const weights = { ...DEFAULT_SCORE_WEIGHTS };
  for (const entry of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = ENTRY.exec(entry);
    const figure = SCORE_FIGURES.find((f) => f === match?.[1]);
    if (!match || !figure || Number(match[2]) > 100) throw new ConfigEntryError('SCORE_WEIGHTS', entry);
    weights[figure] = Number(match[2]);
  }
  // All weights 0 would make every score 0 ÷ 0.
  if (SCORE_FIGURES.every((f) => weights[f] === 0)) throw new ConfigEntryError('SCORE_WEIGHTS', raw ?? '');
  return weights;
}
