// The one vocabulary for LM providers, used by specs, the API, the CLI's `--lm <provider>:<model>`
// and the workbench. A binding names a provider and a model; core/lm turns it into a model.

/** `openai`: any OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp, hosted APIs); `local`: a library model on the local engine. */
export const LM_PROVIDERS = ['openai', 'local'] as const;
export type LMProvider = (typeof LM_PROVIDERS)[number];

export function isLMProvider(value: string): value is LMProvider {
  return (LM_PROVIDERS as readonly string[]).includes(value);
}
