// The public face of core/lm: the LanguageModel interface, its errors, the response cache,
// the OpenAI-compatible provider, the caching wrapper, configuration and the unit-test model.

export * from './language-model.ts';
export * from './errors.ts';
export * from './response-cache.ts';
export * from './concurrency.ts';
export * from './http-transport.ts';
export * from './openai-compatible.ts';
export * from './cached-lm.ts';
export * from './lm-config.ts';
export * from './scripted-lm.ts';
