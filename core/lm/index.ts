// The public face of core/lm: the LanguageModel interface, its errors, bindings and the function
// that turns one into a model, the OpenAI-compatible provider, its retrying and caching wrappers,
// the response cache and configuration.

export * from './language-model.ts';
export * from './errors.ts';
export * from './lm-binding.ts';
export * from './create-language-model.ts';
export * from './response-cache.ts';
export * from './concurrency.ts';
export * from './http-transport.ts';
export * from './openai-chat-model.ts';
export * from './retrying-lm.ts';
export * from './openai-compatible.ts';
export * from './cached-lm.ts';
export * from './lm-config.ts';
