export * from './types.ts';
export * from './schemas.ts';
export * from './reference.ts';
export * from './observations.ts';
export * from './board.ts';
export * from './import.ts';
export { parseAmount, parseDay } from './amounts.ts';
export * from './trend.ts';
export * from './purchase.ts';
