// Resolves which language model to talk to, and how, from (highest priority first) explicit
// flags, the environment, and a config object. Pure: the environment is passed in, nothing is
// read from process.env here, nothing is printed. Errors are LMError('config') with a message
// that says what to set.

import { keyNameProblem } from '../contract/key-names.ts';
import { LM_PROVIDERS, isLMProvider, type LMProvider } from '../contract/providers.ts';
import { LMError } from './errors.ts';
import { KeyOrigins, keyNotAllowedMessage } from './key-origins.ts';
import { normalizeBaseUrl } from './openai-chat-model.ts';
import type { OpenAICompatibleOptions } from './openai-compatible.ts';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_API_KEY_ENV = 'OPENAI_API_KEY';

/** What the command line (or an API caller) gave explicitly. */
export interface LMFlags {
  /** `openai:<model>`. */
  lm?: string;
  model?: string;
  baseUrl?: string;
  /** The name of the environment variable holding the API key (sent only to an origin it is tied to). */
  apiKeyEnv?: string;
  /** An explicit key, sent as given (the local engine's token; keys do not belong on command lines). */
  apiKey?: string;
  maxConcurrency?: number;
  maxRetries?: number;
  timeoutMs?: number;
}

/** The `lm` section of a config file. Keys are never read from config files. */
export interface LMConfigSection {
  lm?: string;
  model?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  maxConcurrency?: number;
  maxRetries?: number;
  timeoutMs?: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface LMSettingsInput {
  flags?: LMFlags;
  env?: Env;
  config?: LMConfigSection;
  /** Where each key may be sent; default KeyOrigins.fromEnv(env). */
  keyOrigins?: KeyOrigins;
  /**
   * The flags were typed by the user on this command line (`tandem run`), not sent by an API
   * caller or read from a saved spec: the key variable they name (or the default) is tied to the
   * base URL they resolve to.
   */
  fromCommandLine?: boolean;
}

/** Options for OpenAICompatibleLM, plus where they came from (for messages and `--verbose`). */
export interface ResolvedLMOptions extends OpenAICompatibleOptions {
  provider: LMProvider;
  /** The variable the key is (or would be) read from. */
  apiKeyEnv: string;
  sources: { model: string; baseUrl: string };
}

export interface LMSpec {
  provider: LMProvider;
  model: string;
}

/** Parses `openai:<model>`; the model may itself contain colons (`openai:llama3:8b`). */
export function parseLMSpec(spec: string): LMSpec {
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(':');
  const valid = LM_PROVIDERS.join(', ');
  if (colon < 0) {
    throw new LMError('config', `--lm "${spec}" needs a provider prefix: write <provider>:<model>, e.g. openai:${trimmed || 'gpt-4o-mini'} (valid providers: ${valid})`);
  }
  const provider = trimmed.slice(0, colon);
  const model = trimmed.slice(colon + 1).trim();
  if (!isLMProvider(provider)) {
    throw new LMError(
      'config',
      `unknown LM provider "${provider}" in --lm "${spec}"; valid providers: ${valid} (for any OpenAI-compatible server write openai:${trimmed})`,
    );
  }
  if (model === '') throw new LMError('config', `--lm "${spec}" names no model; write ${provider}:<model>`);
  return { provider, model };
}

export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host) || host === '0.0.0.0';
}

/** Resolves flags > environment > config into options for OpenAICompatibleLM. */
export function resolveLMOptions(input: LMSettingsInput = {}): ResolvedLMOptions {
  const flags = input.flags ?? {};
  const env = input.env ?? {};
  const config = input.config ?? {};

  const fromFlagSpec = flags.lm !== undefined ? parseLMSpec(flags.lm) : undefined;
  const fromConfigSpec = config.lm !== undefined ? parseLMSpec(config.lm) : undefined;
  if (fromFlagSpec && nonEmpty(flags.model) && nonEmpty(flags.model) !== fromFlagSpec.model) {
    throw new LMError('config', `--lm ${flags.lm} and --model ${flags.model} name different models; pass one of them`);
  }
  const model = firstSet<string>([
    [nonEmpty(flags.model), '--model'],
    [fromFlagSpec?.model, '--lm'],
    [nonEmpty(env.TANDEM_MODEL), 'TANDEM_MODEL'],
    [nonEmpty(config.model), 'config model'],
    [fromConfigSpec?.model, 'config lm'],
  ]);
  if (!model) {
    throw new LMError('config', 'no model given: pass --lm openai:<model> (or --model <name>), or set TANDEM_MODEL');
  }
  const provider = fromFlagSpec?.provider ?? fromConfigSpec?.provider ?? 'openai';
  if (provider === 'local' && !nonEmpty(flags.baseUrl)) {
    // The engine is started first and its base URL passed in; reaching here means it was not.
    throw new LMError('config', `--lm local:${model.value} needs the local engine; start it with \`tandem engine serve --model ${model.value}\` or let \`tandem run\` start it`);
  }

  const baseUrl = firstSet<string>([
    [nonEmpty(flags.baseUrl), '--base-url'],
    [nonEmpty(env.TANDEM_BASE_URL), 'TANDEM_BASE_URL'],
    [nonEmpty(env.OPENAI_BASE_URL), 'OPENAI_BASE_URL'],
    [nonEmpty(config.baseUrl), 'config baseUrl'],
  ]) ?? { value: DEFAULT_BASE_URL, source: 'default' };
  let normalized: string;
  try {
    normalized = normalizeBaseUrl(baseUrl.value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new LMError('config', `${message} (from ${baseUrl.source})`);
  }

  const namedKeyEnv = nonEmpty(flags.apiKeyEnv) ?? nonEmpty(config.apiKeyEnv);
  const apiKeyEnv = namedKeyEnv ?? DEFAULT_API_KEY_ENV;
  const nameProblem = keyNameProblem(apiKeyEnv);
  if (nameProblem) throw new LMError('config', `--api-key-env "${apiKeyEnv.slice(0, 80)}": ${nameProblem}`);
  // A key goes only to an origin it is tied to (key-origins.ts). A variable the experiment named
  // is an error there; the default variable is simply not sent to a server it is not tied to.
  const envOrigins = input.keyOrigins ?? KeyOrigins.fromEnv(env);
  const keyOrigins = input.fromCommandLine ? envOrigins.allow(apiKeyEnv, normalized) : envOrigins;
  const keyInEnv = nonEmpty(env[apiKeyEnv]);
  const keyTied = keyInEnv !== undefined && keyOrigins.allows(apiKeyEnv, normalized);
  if (keyInEnv !== undefined && !keyTied && namedKeyEnv !== undefined && !nonEmpty(flags.apiKey)) {
    throw new LMError('config', keyNotAllowedMessage(apiKeyEnv, normalized, keyOrigins.originsOf(apiKeyEnv)));
  }
  const apiKey = nonEmpty(flags.apiKey) ?? (keyTied ? keyInEnv : undefined);
  const local = isLocalHost(new URL(normalized).hostname);
  if (!apiKey && !local) {
    if (keyInEnv !== undefined) throw new LMError('config', keyNotAllowedMessage(apiKeyEnv, normalized, keyOrigins.originsOf(apiKeyEnv)));
    throw new LMError(
      'config',
      `no API key for ${normalized}: set the ${apiKeyEnv} environment variable` +
        (apiKeyEnv === DEFAULT_API_KEY_ENV ? ' (or name another variable with --api-key-env)' : ''),
    );
  }

  const options: ResolvedLMOptions = {
    provider,
    model: model.value,
    baseUrl: normalized,
    apiKeyEnv,
    apiKeyHint: `set the ${apiKeyEnv} environment variable${apiKeyEnv === DEFAULT_API_KEY_ENV ? ' (or name another one with --api-key-env)' : ' (chosen with --api-key-env)'}`,
    sources: { model: model.source, baseUrl: baseUrl.source },
  };
  if (apiKey) options.apiKey = apiKey;
  const maxConcurrency = positiveInt('maxConcurrency', flags.maxConcurrency ?? config.maxConcurrency);
  if (maxConcurrency !== undefined) options.maxConcurrency = maxConcurrency;
  const maxRetries = nonNegativeInt('maxRetries', flags.maxRetries ?? config.maxRetries);
  if (maxRetries !== undefined) options.maxRetries = maxRetries;
  const timeoutMs = positiveInt('timeoutMs', flags.timeoutMs ?? config.timeoutMs);
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  return options;
}

function firstSet<T>(candidates: Array<[T | undefined, string]>): { value: T; source: string } | undefined {
  for (const [value, source] of candidates) if (value !== undefined) return { value, source };
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function positiveInt(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw new LMError('config', `${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInt(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) throw new LMError('config', `${name} must be a non-negative integer, got ${value}`);
  return value;
}
