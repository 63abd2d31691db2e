export * from '../program/adapter.ts';
export * from './chat-adapter.ts';
export * from './format-value.ts';
