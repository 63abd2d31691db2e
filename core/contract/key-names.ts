// Which environment variables may hold an API key. An experiment, a stored key and the key-origin
// list name keys by variable; whoever names one decides which variable's value is sent as a
// bearer token, so only key-like names are accepted: an arbitrary name (HOME, PATH, AWS_…)
// would let an experiment send any variable of the backend's environment to a server.
//
// A key's variable is an upper-case environment variable name that ends in _KEY, _TOKEN or
// _SECRET and does not start with a runtime's prefix: storing a "key" in the desktop app sets a
// variable in the backend's environment, and NODE_OPTIONS, LD_PRELOAD or TANDEM_* would hand
// over the backend instead.

export const KEY_NAME_PATTERN = /^[A-Z_][A-Z0-9_]{0,63}$/;
/** What a key's variable must end with (OPENAI_API_KEY, HF_TOKEN, …). */
export const KEY_NAME_SUFFIX = /_(KEY|TOKEN|SECRET)$/;
/** Prefixes of variables that steer a runtime (Node, Electron, the loader, Python) or Tandem itself. */
export const RESERVED_KEY_NAME_PREFIXES = ['NODE_', 'NPM_', 'ELECTRON_', 'CHROME_', 'LD_', 'DYLD_', 'PYTHON', 'TANDEM_'] as const;

/** Why `name` cannot name an API key's variable, or null when it can. Echoes the name only when it looks like one. */
export function keyNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'the key name must be a string';
  if (!KEY_NAME_PATTERN.test(name)) {
    return "the key's variable must be an environment variable name: capital letters, digits and _, not starting with a digit, at most 64 characters (e.g. OPENAI_API_KEY)";
  }
  const reserved = RESERVED_KEY_NAME_PREFIXES.find((prefix) => name.startsWith(prefix));
  if (reserved) return `${name} is not allowed: variables starting with ${reserved} change how the backend runs`;
  if (!KEY_NAME_SUFFIX.test(name)) return `${name} is not allowed: the name of a key's variable must end in _KEY, _TOKEN or _SECRET (e.g. OPENAI_API_KEY, HF_TOKEN)`;
  return null;
}

/** The providers whose key variable has one well-known home. */
export const KNOWN_KEY_ORIGINS: Readonly<Record<string, readonly string[]>> = {
  OPENAI_API_KEY: ['https://api.openai.com'],
  OPENROUTER_API_KEY: ['https://openrouter.ai'],
  TOGETHER_API_KEY: ['https://api.together.xyz'],
  GROQ_API_KEY: ['https://api.groq.com'],
  DEEPSEEK_API_KEY: ['https://api.deepseek.com'],
  FIREWORKS_API_KEY: ['https://api.fireworks.ai'],
  MISTRAL_API_KEY: ['https://api.mistral.ai'],
  DEEPINFRA_API_KEY: ['https://api.deepinfra.com'],
  HF_TOKEN: ['https://huggingface.co', 'https://router.huggingface.co'],
  HUGGING_FACE_HUB_TOKEN: ['https://huggingface.co', 'https://router.huggingface.co'],
};

/** A key the desktop app stores (never its value): its variable and the origins it is sent to. */
export interface StoredKey {
  name: string;
  origins: string[];
}

/** At most this many origins per stored key. */
export const MAX_KEY_ORIGINS = 8;

/**
 * The environment variable that ties keys to origins: `NAME=URL` entries separated by spaces or
 * commas (`MY_VLLM_KEY=http://gpu-box:8000 TOGETHER_API_KEY=https://api.together.xyz`). The
 * user sets it where Tandem starts; the desktop app adds its stored keys' origins to it.
 */
export const KEY_ORIGINS_ENV = 'TANDEM_KEY_ORIGINS';

/** The origin of an http(s) URL (`https://host[:port]`), or null when it is not one. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

export class KeyOriginsSyntaxError extends Error {
  override name = 'KeyOriginsSyntaxError';
}

/** Parses a TANDEM_KEY_ORIGINS value into [name, origin] pairs; a bad entry is a KeyOriginsSyntaxError. */
export function parseKeyOrigins(text: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const entry of text.split(/[\s,]+/).filter((part) => part !== '')) {
    const equals = entry.indexOf('=');
    const name = equals < 0 ? entry : entry.slice(0, equals);
    const problem = equals < 0 ? null : keyNameProblem(name);
    if (equals < 0 || problem) {
      throw new KeyOriginsSyntaxError(`${KEY_ORIGINS_ENV}: "${entry.slice(0, 80)}" is not NAME=URL with a key's variable as NAME${problem ? ` (${problem})` : ''}`);
    }
    const origin = originOf(entry.slice(equals + 1));
    if (!origin) throw new KeyOriginsSyntaxError(`${KEY_ORIGINS_ENV}: the URL for ${name} is not an http:// or https:// URL`);
    entries.push([name, origin]);
  }
  return entries;
}

/** Writes pairs in the form parseKeyOrigins reads. */
export function formatKeyOrigins(entries: ReadonlyArray<readonly [string, string]>): string {
  return entries.map(([name, origin]) => `${name}=${origin}`).join(' ');
}
