// Opens a web-mode link in the user's browser without putting the link on a command line.
//
// A command line is public on this machine: other users see it in `ps` (/proc/<pid>/cmdline)
// for as long as the opener (xdg-open, and a browser it starts) runs. The link holds a one-time
// code, and whoever spends it first gets a session; so the link goes into a small HTML file that
// redirects to it, in a fresh folder only the user can enter (0700) and itself readable by the
// user alone (0600), and the command line names only that file. The file is removed when the
// link's code would have expired anyway, and when the process exits. (A browser that cannot read
// the temporary folder, such as a sandboxed one, shows an error instead; the link printed in the
// terminal is the way in then.)

import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type SpawnFn = (command: string, args: string[], options: SpawnOptions) => Pick<ChildProcess, 'on' | 'unref'>;

export interface OpenBrowserDeps {
  platform?: NodeJS.Platform;
  spawn?: SpawnFn;
  /** Where the redirect file's folder is made; default os.tmpdir(). */
  tmpDir?: string;
  /** How long the file is kept (the link's lifetime); default 5 minutes. */
  keepMs?: number;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The redirect page: a meta refresh (no script) and a link for a browser that does not follow it. */
export function redirectPage(url: string): string {
  const href = escapeHtml(url);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${href}">
<title>Tandem</title>
</head>
<body><p>Opening <a href="${href}">Tandem</a>…</p></body>
</html>
`;
}

/** Writes the redirect file (folder 0700, file 0600); returns its path and how to remove it. */
export function writeRedirectFile(url: string, tmpDir: string = os.tmpdir()): { file: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpDir, 'tandem-open-'));
  const file = path.join(dir, 'open.html');
  writeFileSync(file, redirectPage(url), { mode: 0o600, flag: 'wx' });
  let removed = false;
  return {
    file,
    remove: () => {
      if (removed) return;
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The platform's opener for a file: [command, args]; null on Linux without a desktop session. */
export function openerCommand(file: string, platform: NodeJS.Platform, env: Record<string, string | undefined>): [string, string[]] | null {
  if (platform === 'darwin') return ['open', [file]];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', file]];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null; // no desktop session: the printed link is the way in
  return ['xdg-open', [file]];
}

/** Opens `url` in the browser through a private redirect file; failures are ignored (the printed link remains). */
export function openInBrowser(url: string, env: Record<string, string | undefined>, deps: OpenBrowserDeps = {}): void {
  const command = openerCommand('', deps.platform ?? process.platform, env);
  if (!command) return;
  let redirect: { file: string; remove: () => void };
  try {
    redirect = writeRedirectFile(url, deps.tmpDir);
  } catch {
    return; // no private file: the printed link is the way in
  }
  const [cmd, args] = openerCommand(redirect.file, deps.platform ?? process.platform, env)!;
  const cleanup = (): void => {
    clearTimeout(timer);
    process.off('exit', cleanup);
    redirect.remove();
  };
  const timer = setTimeout(cleanup, deps.keepMs ?? 5 * 60_000);
  timer.unref();
  process.once('exit', cleanup);
  try {
    const child = (deps.spawn ?? nodeSpawn)(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener: the printed link is the way in
  }
}
