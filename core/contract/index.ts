// core/contract: what every front end shares with core, with no Node, SQLite or React
// dependency: the API's methods, inputs, results and events, the strategy grammar, the provider
// vocabulary and the defaults.

export * from './methods.ts';
export * from './errors.ts';
export * from './schemas.ts';
export type * from './api.ts';
export type * from './events.ts';
export { API_EVENT_TYPES } from './events.ts';
export type * from './models.ts';
export type * from './views/index.ts';
export * from './strategy.ts';
export * from './providers.ts';
export { SAMPLING_DEFAULTS, RANDOM_SEARCH_DEFAULTS, EXPERIMENT_DEFAULTS, DEMO_RUN_DEFAULTS, NEW_EXPERIMENT_FORM_DEFAULTS } from './defaults.ts';
export * from './content-security-policy.ts';
