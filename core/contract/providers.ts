// The one vocabulary for LM providers, used by specs, the API, the CLI's `--lm <provider>:<model>`,
// the workbench and predictor bindings. A binding names a provider and a model; core/lm turns it
// into a model (createLanguageModel).

/** `openai`: any OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp, hosted APIs); `local`: a library model on the local engine. */
export const LM_PROVIDERS = ['openai', 'local'] as const;
export type LMProvider = (typeof LM_PROVIDERS)[number];

export function isLMProvider(value: string): value is LMProvider {
  return (LM_PROVIDERS as readonly string[]).includes(value);
}

/**
 * How saved program states and fine-tuning group keys spell a binding's provider. `openai` is
 * written `openai-compatible`, as in every state stored so far, so stored rows stay comparable
 * across versions; `local` is written as is.
 */
const STORED_SPELLING: Record<LMProvider, string> = { openai: 'openai-compatible', local: 'local' };

export function storedProviderName(provider: LMProvider): string {
  return STORED_SPELLING[provider];
}

/** Reads a stored provider name (either spelling); undefined when it names no provider. */
export function providerFromStored(name: string): LMProvider | undefined {
  if (isLMProvider(name)) return name;
  return LM_PROVIDERS.find((provider) => STORED_SPELLING[provider] === name);
}
