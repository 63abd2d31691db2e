import { describe, expect, it } from 'vitest';
import { LMError } from '../../../core/lm/errors.ts';
import { DEFAULT_BASE_URL, isLocalHost, parseLMSpec, resolveLMOptions } from '../../../core/lm/lm-config.ts';
import { OpenAICompatibleLM } from '../../../core/lm/openai-compatible.ts';

function configError(fn: () => unknown): LMError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LMError);
    expect((error as LMError).kind).toBe('config');
    return error as LMError;
  }
  throw new Error('expected a config error');
}

describe('parseLMSpec', () => {
  it('reads openai:<model>, keeping colons in the model', () => {
    expect(parseLMSpec('openai:gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(parseLMSpec(' openai:llama3:8b ')).toEqual({ provider: 'openai', model: 'llama3:8b' });
  });

  it('lists the valid providers for an unknown prefix', () => {
    const error = configError(() => parseLMSpec('anthropic:claude'));
    expect(error.message).toContain('unknown LM provider "anthropic"');
    expect(error.message).toContain('valid providers: openai');
  });

  it('asks for a prefix and a model', () => {
    expect(configError(() => parseLMSpec('gpt-4o')).message).toMatch(/provider prefix.*openai:gpt-4o/);
    expect(configError(() => parseLMSpec('openai:')).message).toMatch(/names no model/);
  });
});

describe('resolveLMOptions', () => {
  const local = { TANDEM_BASE_URL: 'http://127.0.0.1:8000/v1' };

  it('prefers flags over environment over config', () => {
    const env = { TANDEM_MODEL: 'env-model', TANDEM_BASE_URL: 'http://localhost:1/v1', OPENAI_BASE_URL: 'http://localhost:2/v1' };
    const config = { model: 'config-model', baseUrl: 'http://localhost:3/v1' };
    expect(resolveLMOptions({ flags: { lm: 'openai:flag-model', baseUrl: 'http://localhost:0/v1/' }, env, config })).toMatchObject({
      model: 'flag-model',
      baseUrl: 'http://localhost:0/v1',
      sources: { model: '--lm', baseUrl: '--base-url' },
    });
    expect(resolveLMOptions({ env, config })).toMatchObject({ model: 'env-model', baseUrl: 'http://localhost:1/v1' });
    expect(resolveLMOptions({ env: { OPENAI_BASE_URL: env.OPENAI_BASE_URL }, config })).toMatchObject({
      model: 'config-model',
      baseUrl: 'http://localhost:2/v1',
      sources: { model: 'config model', baseUrl: 'OPENAI_BASE_URL' },
    });
    expect(resolveLMOptions({ config })).toMatchObject({ baseUrl: 'http://localhost:3/v1' });
    expect(resolveLMOptions({ config: { lm: 'openai:cfg', baseUrl: 'http://localhost:3/v1' } }).model).toBe('cfg');
  });

  it('accepts --model alone and rejects a conflicting --lm', () => {
    expect(resolveLMOptions({ flags: { model: 'm' }, env: local }).model).toBe('m');
    expect(resolveLMOptions({ flags: { model: 'm', lm: 'openai:m' }, env: local }).model).toBe('m');
    expect(configError(() => resolveLMOptions({ flags: { model: 'a', lm: 'openai:b' }, env: local })).message).toMatch(/different models/);
  });

  it('needs a model', () => {
    expect(configError(() => resolveLMOptions({ env: local })).message).toMatch(/--lm openai:<model>.*TANDEM_MODEL/);
  });

  it('defaults to the OpenAI API, which needs a key', () => {
    const error = configError(() => resolveLMOptions({ flags: { lm: 'openai:gpt-4o-mini' } }));
    expect(error.message).toContain(DEFAULT_BASE_URL);
    expect(error.message).toContain('OPENAI_API_KEY');
    const ok = resolveLMOptions({ flags: { lm: 'openai:gpt-4o-mini' }, env: { OPENAI_API_KEY: 'sk-1' } });
    expect(ok).toMatchObject({ baseUrl: DEFAULT_BASE_URL, apiKey: 'sk-1', apiKeyEnv: 'OPENAI_API_KEY' });
  });

  it('reads the key from the variable named by --api-key-env', () => {
    const env = { MY_KEY: 'sk-mine', OPENAI_API_KEY: 'sk-other' };
    const options = resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: 'https://api.example.com/v1', apiKeyEnv: 'MY_KEY' }, env });
    expect(options.apiKey).toBe('sk-mine');
    expect(options.apiKeyHint).toContain('MY_KEY');
    const missing = configError(() => resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: 'https://api.example.com/v1', apiKeyEnv: 'NOPE' }, env }));
    expect(missing.message).toContain('set the NOPE environment variable');
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', apiKeyEnv: 'not a name' }, env })).message).toMatch(/not an environment variable name/);
  });

  it('needs no key for local servers and sends none', () => {
    for (const baseUrl of ['http://localhost:8000/v1', 'http://127.0.0.1:9/v1', 'http://[::1]:8000/v1']) {
      const options = resolveLMOptions({ flags: { lm: 'openai:m', baseUrl } });
      expect(options.apiKey).toBeUndefined();
    }
    expect(resolveLMOptions({ flags: { lm: 'openai:m' }, env: { ...local, OPENAI_API_KEY: 'sk-local' } }).apiKey).toBe('sk-local');
  });

  it('validates the base URL and says where it came from', () => {
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: 'localhost:8000' } })).message).toMatch(/http:\/\/ or https:\/\/.*--base-url/);
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m' }, env: { TANDEM_BASE_URL: 'nope' } })).message).toMatch(/not a URL.*TANDEM_BASE_URL/);
  });

  it('passes numeric settings through and validates them', () => {
    const options = resolveLMOptions({ flags: { lm: 'openai:m', maxConcurrency: 8 }, env: local, config: { maxConcurrency: 2, maxRetries: 0, timeoutMs: 5000 } });
    expect(options).toMatchObject({ maxConcurrency: 8, maxRetries: 0, timeoutMs: 5000 });
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', maxConcurrency: 0 }, env: local })).message).toMatch(/maxConcurrency/);
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', maxRetries: -1 }, env: local })).message).toMatch(/maxRetries/);
  });

  it('produces options OpenAICompatibleLM accepts', () => {
    const lm = new OpenAICompatibleLM(resolveLMOptions({ flags: { lm: 'openai:m' }, env: local }));
    expect(lm.id).toBe('openai:m@http://127.0.0.1:8000/v1');
  });
});

describe('isLocalHost', () => {
  it('knows loopback names', () => {
    expect(isLocalHost('localhost')).toBe(true);
    expect(isLocalHost('127.0.0.2')).toBe(true);
    expect(isLocalHost('[::1]')).toBe(true);
    expect(isLocalHost('engine.localhost')).toBe(true);
    expect(isLocalHost('10.0.0.5')).toBe(false);
    expect(isLocalHost('api.openai.com')).toBe(false);
  });
});
