// Runs the real `tandem` CLI in its own process, as a user would.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TANDEM_BIN = path.join(ROOT, 'bin', 'tandem.mjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    // Keep the user's LM settings out of tests unless a test sets them.
    for (const key of ['TANDEM_BASE_URL', 'TANDEM_MODEL', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'TANDEM_DB']) {
      if (!options.env || !(key in options.env)) delete env[key];
    }
    const child = spawn(process.execPath, [TANDEM_BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Starts the CLI and SIGKILLs it once `until` holds for its stderr (checked on output and every
 * 50 ms), `delayMs` after that: a crash at a chosen point of a run.
 */
export function runUntilKilled(
  args: string[],
  until: (stderr: string) => boolean,
  delayMs: number,
  env: Record<string, string> = {},
): Promise<{ killed: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TANDEM_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let armed = false;
    const check = () => {
      if (!armed && until(stderr)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    };
    const poll = setInterval(check, 50);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      check();
    });
    child.on('close', (_code, signal) => {
      clearInterval(poll);
      resolve({ killed: signal === 'SIGKILL', stdout, stderr });
    });
  });
}
