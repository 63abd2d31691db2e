// The browser opener of `tandem serve`: the command line it runs names a private redirect file,
// never the link (whose one-time code anyone reading `ps` could spend first) nor the token.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openerCommand, openInBrowser, redirectPage, type SpawnFn } from '../../../core/cli/open-browser.ts';

let tmp: string;

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tandem-opener-'));
});

afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function fakeSpawn() {
  const calls: Array<{ command: string; args: string[] }> = [];
  const spawn: SpawnFn = (command, args) => {
    calls.push({ command, args });
    return { on: () => undefined as never, unref: () => undefined } as unknown as ReturnType<SpawnFn>;
  };
  return { calls, spawn };
}

const CODE = 'one-time-code-abcdefghijklmnopqrstuvwxyz0123';
const LINK = `http://127.0.0.1:41234/?code=${CODE}`;

describe('the web-mode token does not leak: the browser opener', () => {
  it('puts neither the link, its code nor a token on the command line', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const { calls, spawn } = fakeSpawn();
      openInBrowser(LINK, { DISPLAY: ':0' }, { platform, spawn, tmpDir: tmp });
      expect(calls, platform).toHaveLength(1);
      const line = [calls[0]!.command, ...calls[0]!.args].join(' ');
      expect(line).not.toContain(CODE);
      expect(line).not.toContain('127.0.0.1:41234');
      expect(line).not.toContain('token');
      const file = calls[0]!.args.at(-1)!;
      expect(path.dirname(path.dirname(file))).toBe(tmp);
      expect(readFileSync(file, 'utf8')).toContain(`content="0;url=${LINK}"`);
    }
  });

  it('writes the redirect file for the user alone (folder 0700, file 0600)', () => {
    const { calls, spawn } = fakeSpawn();
    openInBrowser(LINK, { WAYLAND_DISPLAY: 'wayland-0' }, { platform: 'linux', spawn, tmpDir: tmp });
    expect(calls[0]!.command).toBe('xdg-open');
    const file = calls[0]!.args[0]!;
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    }
  });

  it('removes the redirect file once the link would have expired', async () => {
    const { calls, spawn } = fakeSpawn();
    openInBrowser(LINK, { DISPLAY: ':0' }, { platform: 'linux', spawn, tmpDir: tmp, keepMs: 1 });
    const file = calls[0]!.args[0]!;
    for (let i = 0; i < 200 && existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it('opens nothing (and writes nothing) without a desktop session on Linux', () => {
    const { calls, spawn } = fakeSpawn();
    openInBrowser(LINK, {}, { platform: 'linux', spawn, tmpDir: tmp });
    expect(calls).toEqual([]);
    expect(openerCommand('/x.html', 'linux', {})).toBeNull();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('escapes the link in the page', () => {
    expect(redirectPage('http://127.0.0.1:1/?a="<b>&c')).toContain('url=http://127.0.0.1:1/?a=&#34;&#60;b&#62;&#38;c"');
  });
});
