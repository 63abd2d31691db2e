export * from './task.ts';
export * from './registry.ts';
export * from './iris.ts';
export * from './gsm8k.ts';
export * from './gsm8k-sample.ts';
export * from './split.ts';
export * from './protocol.ts';
