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

  it('reads the key from the variable named by --api-key-env, typed on the command line', () => {
    const env = { MY_KEY: 'sk-mine', OPENAI_API_KEY: 'sk-other' };
    const options = resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: 'https://api.example.com/v1', apiKeyEnv: 'MY_KEY' }, env, fromCommandLine: true });
    expect(options.apiKey).toBe('sk-mine');
    expect(options.apiKeyHint).toContain('MY_KEY');
    const missing = configError(() => resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: 'https://api.example.com/v1', apiKeyEnv: 'NOPE_KEY' }, env, fromCommandLine: true }));
    expect(missing.message).toContain('set the NOPE_KEY environment variable');
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', apiKeyEnv: 'not a name' }, env })).message).toMatch(/must be an environment variable name/);
  });

  it('finding 1: sends a key only to an origin it is tied to', () => {
    const env = { HOME: '/root', MY_KEY: 'sk-mine', OPENAI_API_KEY: 'sk-openai' };
    const attacker = 'http://127.0.0.1:9999/v1';
    // Any variable: refused by name, whoever asks.
    for (const name of ['HOME', 'PATH', 'NODE_OPTIONS', 'TANDEM_DB', 'AWS_REGION']) {
      expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: attacker, apiKeyEnv: name }, env: { ...env, [name]: 'x' } })).message).toMatch(/not allowed|must be/);
    }
    // A real key named for a server it is not tied to: refused, the value never in the message.
    const refused = configError(() => resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: attacker, apiKeyEnv: 'OPENAI_API_KEY' }, env }));
    expect(refused.message).toBe(
      'the key in OPENAI_API_KEY is not sent to http://127.0.0.1:9999: it is sent only to https://api.openai.com. To use it there, start Tandem with TANDEM_KEY_ORIGINS="OPENAI_API_KEY=http://127.0.0.1:9999", store it for that server in the desktop app, or run from the command line with --base-url and --api-key-env OPENAI_API_KEY',
    );
    expect(refused.message).not.toContain('sk-');
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: 'https://api.example.com/v1', apiKeyEnv: 'MY_KEY' }, env })).message).toMatch(/it is tied to no server yet/);
    // The default variable is simply not sent to a local server it is not tied to; a remote one is told why.
    expect(resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: attacker }, env }).apiKey).toBeUndefined();
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: 'https://evil.example/v1' }, env })).message).toMatch(/OPENAI_API_KEY is not sent to https:\/\/evil\.example/);
    // Tied: by the well-known provider, the environment's paired base URL, TANDEM_KEY_ORIGINS, or the command line.
    expect(resolveLMOptions({ flags: { lm: 'openai:m' }, env }).apiKey).toBe('sk-openai');
    expect(resolveLMOptions({ flags: { lm: 'openai:m' }, env: { ...env, OPENAI_BASE_URL: 'https://proxy.example/v1' } }).apiKey).toBe('sk-openai');
    expect(resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: 'https://api.example.com/v1', apiKeyEnv: 'MY_KEY' }, env: { ...env, TANDEM_KEY_ORIGINS: 'MY_KEY=https://api.example.com' } }).apiKey).toBe('sk-mine');
    expect(resolveLMOptions({ flags: { lm: 'openai:m', baseUrl: attacker, apiKeyEnv: 'OPENAI_API_KEY' }, env, fromCommandLine: true }).apiKey).toBe('sk-openai');
    // Origins, not prefixes: another port or scheme is another server.
    const tied = { ...env, TANDEM_KEY_ORIGINS: 'MY_KEY=https://api.example.com' };
    for (const baseUrl of ['http://api.example.com/v1', 'https://api.example.com:8443/v1', 'https://api.example.com.evil.example/v1']) {
      expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m', baseUrl, apiKeyEnv: 'MY_KEY' }, env: tied })).kind).toBe('config');
    }
    // A malformed list is an error naming the variable, not a silent allow.
    expect(configError(() => resolveLMOptions({ flags: { lm: 'openai:m' }, env: { ...env, TANDEM_KEY_ORIGINS: 'HOME=https://x.example' } })).message).toMatch(/^TANDEM_KEY_ORIGINS: "HOME=https:\/\/x.example" is not NAME=URL/);
  });

  it('needs no key for local servers and sends none', () => {
    for (const baseUrl of ['http://localhost:8000/v1', 'http://127.0.0.1:9/v1', 'http://[::1]:8000/v1']) {
      const options = resolveLMOptions({ flags: { lm: 'openai:m', baseUrl } });
      expect(options.apiKey).toBeUndefined();
    }
    // OPENAI_API_KEY beside a TANDEM_BASE_URL in the environment is tied to it (the SDKs' convention).
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
