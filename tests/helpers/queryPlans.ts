// The query recorder lives with the scripts, whose bench prints the same plans at 100k listings.
export * from '../../scripts/lib/queryPlans.ts';
