export * from './events.ts';
export * from './optimizer-context.ts';
export * from './labeled-few-shot.ts';
export * from './bootstrap-few-shot.ts';
export * from './random-search.ts';
