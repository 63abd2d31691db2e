export * from './metric.ts';
export * from './evaluate.ts';
export * from './intermediate-check.ts';
