// Where each API key may be sent. A key (the value of an environment variable such as
// OPENAI_API_KEY) is sent only to the origins it is tied to, whoever asks: an experiment created
// through the API (by the workbench's page, which the desktop app treats as untrusted) names a
// base URL and a key variable, and without this list it could send any key to any server.
//
// A key is tied to an origin by (strongest first):
// - the user's own command line: `tandem run --base-url U [--api-key-env K]` ties K (default
//   OPENAI_API_KEY) to U's origin for that invocation (the CLI adds it with `allow`);
// - the environment Tandem was started from: TANDEM_KEY_ORIGINS="K=https://host[:port] …"
//   (entries separated by spaces or commas; the desktop app writes its stored keys' origins
//   there), and the base-URL variables the SDKs pair with a key (OPENAI_BASE_URL and
//   TANDEM_BASE_URL with OPENAI_API_KEY, HF_ENDPOINT with HF_TOKEN);
// - the well-known providers (KNOWN_KEY_ORIGINS in core/contract/key-names.ts).
// Nothing an API caller sends can add an entry. Pure: the environment is passed in.

import { KEY_ORIGINS_ENV, KeyOriginsSyntaxError, KNOWN_KEY_ORIGINS, originOf, parseKeyOrigins } from '../contract/key-names.ts';
import { LMError } from './errors.ts';

/** Base-URL variables that, set in the environment, tie the key variables beside them to their origin. */
const PAIRED_BASE_URLS: ReadonlyArray<{ urlVar: string; keys: readonly string[] }> = [
  { urlVar: 'OPENAI_BASE_URL', keys: ['OPENAI_API_KEY'] },
  { urlVar: 'TANDEM_BASE_URL', keys: ['OPENAI_API_KEY'] },
  { urlVar: 'HF_ENDPOINT', keys: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'] },
];

type Env = Readonly<Record<string, string | undefined>>;

export class KeyOrigins {
  private readonly origins = new Map<string, Set<string>>();

  /** The list for this environment: the well-known providers, its paired base URLs and TANDEM_KEY_ORIGINS. */
  static fromEnv(env: Env): KeyOrigins {
    const list = new KeyOrigins();
    for (const [name, origins] of Object.entries(KNOWN_KEY_ORIGINS)) for (const origin of origins) list.add(name, origin);
    for (const { urlVar, keys } of PAIRED_BASE_URLS) {
      const origin = env[urlVar]?.trim() ? originOf(env[urlVar] as string) : null;
      if (origin) for (const name of keys) list.add(name, origin);
    }
    let listed: Array<[string, string]>;
    try {
      listed = parseKeyOrigins(env[KEY_ORIGINS_ENV] ?? '');
    } catch (error) {
      if (error instanceof KeyOriginsSyntaxError) throw new LMError('config', error.message);
      throw error;
    }
    for (const [name, origin] of listed) list.add(name, origin);
    return list;
  }

  /** A copy that also ties `name` to `url`'s origin (the user's own command line). */
  allow(name: string, url: string): KeyOrigins {
    const copy = new KeyOrigins();
    for (const [key, origins] of this.origins) for (const origin of origins) copy.add(key, origin);
    const origin = originOf(url);
    if (origin) copy.add(name, origin);
    return copy;
  }

  /** Whether the key in `name` may be sent to `url`. */
  allows(name: string, url: string): boolean {
    const origin = originOf(url);
    return origin !== null && (this.origins.get(name)?.has(origin) ?? false);
  }

  /** The origins `name` is tied to, sorted. */
  originsOf(name: string): string[] {
    return [...(this.origins.get(name) ?? [])].sort();
  }

  private add(name: string, origin: string): void {
    let set = this.origins.get(name);
    if (!set) this.origins.set(name, (set = new Set()));
    set.add(origin);
  }
}

/** What to tell a user whose key is not tied to the server an experiment names. */
export function keyNotAllowedMessage(name: string, url: string, origins: readonly string[]): string {
  const origin = originOf(url) ?? url;
  const home = origins.length > 0 ? `it is sent only to ${origins.join(', ')}` : 'it is tied to no server yet';
  return (
    `the key in ${name} is not sent to ${origin}: ${home}. ` +
    `To use it there, start Tandem with ${KEY_ORIGINS_ENV}="${name}=${origin}", store it for that server in the desktop app, or run from the command line with --base-url and --api-key-env ${name}`
  );
}
