// Runs a subprocess whose stdout carries JSON progress lines; other stdout and stderr lines are
// passed on as log lines. Cancellable; resolves with the exit code, the last log lines, and the
// tail of everything it printed (JSON lines included), which the job record keeps.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LogTail } from './log-tail.ts';

export interface JsonLinesRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string[];
  /** The last lines of stdout and stderr as they came (JSON progress included), bounded by LogTail. */
  output: string[];
}

export function runJsonLinesProcess(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal; onJson?: (value: Record<string, unknown>) => void; onLog?: (line: string) => void },
): Promise<JsonLinesRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    const output = new LogTail();
    const keep = (line: string) => {
      log.push(line);
      if (log.length > 200) log.shift();
      options.onLog?.(line);
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const trimmed = line.trim();
      if (trimmed.startsWith('{')) {
        try {
          options.onJson?.(JSON.parse(trimmed) as Record<string, unknown>);
          return;
        } catch {
          // not JSON after all: a log line
        }
      }
      keep(line);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      output.push(line);
      keep(line);
    });
    const abort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', abort, { once: true });
    child.once('error', (error) => reject(error));
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', abort);
      resolve({ code, signal, log, output: output.toLines() });
    });
  });
}
