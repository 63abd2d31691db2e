// What the Electron main process tells `tandem start` on stdout, one line each, so the CLI can
// tell "the window is up" from "Electron cannot start here" without guessing from timings. Both
// sides import these strings; nothing here may pull in more than plain constants.

export const HANDSHAKE_PREFIX = 'tandem-electron: ';

/** The window is shown: Electron works, no fallback. */
export const HANDSHAKE_READY = `${HANDSHAKE_PREFIX}ready`;
/** Another Tandem window holds the single-instance lock; it was brought to the front. */
export const HANDSHAKE_ALREADY_RUNNING = `${HANDSHAKE_PREFIX}already-running`;
/** Followed by the reason; the process then exits with ELECTRON_EXIT_CANNOT_START. */
export const HANDSHAKE_CANNOT_START = `${HANDSHAKE_PREFIX}cannot-start `;

/** sysexits' EX_CONFIG: Electron itself runs but this setup cannot (e.g. better-sqlite3 built for Node). */
export const ELECTRON_EXIT_CANNOT_START = 78;

/** Set by `tandem start` for the Electron process: report start problems on stdout instead of in a dialog. */
export const LAUNCHED_BY_CLI_ENV = 'TANDEM_LAUNCHED_BY_CLI';

export type Handshake = { kind: 'ready' } | { kind: 'already-running' } | { kind: 'cannot-start'; reason: string };

/** The handshake a line of Electron's stdout carries, or null for ordinary output. */
export function parseHandshake(line: string): Handshake | null {
  const text = line.trimEnd();
  if (text === HANDSHAKE_READY) return { kind: 'ready' };
  if (text === HANDSHAKE_ALREADY_RUNNING) return { kind: 'already-running' };
  if (text.startsWith(HANDSHAKE_CANNOT_START)) return { kind: 'cannot-start', reason: text.slice(HANDSHAKE_CANNOT_START.length).trim() };
  return null;
}
