export * from './metric.ts';
export * from './evaluate.ts';
