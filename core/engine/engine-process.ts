// Supervises one local engine subprocess (Python + PyTorch serving one base model over the
// OpenAI-compatible API): start, wait until it reports its port and answers /health, restart with
// backoff if it dies (on the same port, re-loading its LoRA adapters), stop it with the app.
//
// Access: each EngineProcess makes a random token, hands it to the engine in its environment
// (TANDEM_ENGINE_TOKEN, never on the command line) and sends it as `Authorization: Bearer` on
// every request; the engine refuses requests without it, with a foreign Host or Origin, and POSTs
// that are not application/json. The token outlives restarts, so clients keep working. Adapters
// load only from inside `adapterRoot` (the workspace's fine-tuning folder).

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { engineEnv } from './engine-paths.ts';
import { EngineError } from './errors.ts';
import { findPython } from './python.ts';

export interface EngineOptions {
  modelDir: string;
  /** Name the base model is served under (default: the folder name). */
  servedName?: string;
  port?: number;
  dtype?: 'fp32' | 'bf16';
  device?: string;
  maxBatch?: number;
  /** Seconds to wait for the engine to report it is listening (model loading included). */
  startTimeoutS?: number;
  /** Restarts allowed within `restartWindowS` before giving up. */
  maxRestarts?: number;
  restartWindowS?: number;
  python?: string;
  /**
   * The folder adapters may be loaded from (`--adapter-root`); adapter paths outside it are
   * refused by the engine. Without it, the engine loads no adapters.
   */
  adapterRoot?: string;
  /** Serve without a token (`tandem engine serve --no-auth`); Host, Origin and Content-Type are still checked. */
  noAuth?: boolean;
}

/** The environment variable the engine reads its token from. */
export const ENGINE_TOKEN_ENV = 'TANDEM_ENGINE_TOKEN';

export type EngineEvent =
  | { type: 'starting'; attempt: number }
  | { type: 'listening'; baseUrl: string; model: string }
  | { type: 'log'; line: string }
  | { type: 'exited'; code: number | null; signal: string | null; expected: boolean }
  | { type: 'restarting'; delayMs: number; restarts: number }
  | { type: 'gave-up'; message: string };

interface ListeningLine {
  event: 'listening';
  port: number;
  base_url: string;
  model: string;
}

export class EngineProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restartTimes: number[] = [];
  private port: number;
  private ready: Promise<string> | null = null;
  private readonly adapters = new Map<string, string>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  baseUrl: string | null = null;
  model: string | null = null;
  /** The bearer token the engine requires (null with `noAuth`); an OpenAI client's API key. */
  readonly token: string | null;
  /** The last stderr lines, for error messages. */
  readonly recentLog: string[] = [];

  constructor(private readonly options: EngineOptions) {
    this.port = options.port ?? 0;
    this.token = options.noAuth ? null : randomBytes(32).toString('base64url');
  }

  /** Headers every request to the engine carries. */
  get authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the engine and resolves with its base URL (`http://127.0.0.1:N/v1`). */
  start(): Promise<string> {
    this.stopping = false;
    this.ready ??= this.spawnOnce(1);
    return this.ready;
  }

  /** Resolves once the engine is up again (after a restart). */
  whenReady(): Promise<string> {
    return this.ready ?? this.start();
  }

  async loadAdapter(name: string, adapterPath: string): Promise<void> {
    const baseUrl = await this.whenReady();
    await postJson(`${baseUrl}/load_lora_adapter`, { lora_name: name, lora_path: adapterPath }, this.authHeaders);
    this.adapters.set(name, adapterPath);
  }

  async unloadAdapter(name: string): Promise<void> {
    const baseUrl = await this.whenReady();
    await postJson(`${baseUrl}/unload_lora_adapter`, { lora_name: name }, this.authHeaders);
    this.adapters.delete(name);
  }

  get loadedAdapters(): ReadonlyMap<string, string> {
    return this.adapters;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async spawnOnce(attempt: number): Promise<string> {
    const python = this.options.python ?? (await findPython()).executable;
    const args = ['-m', 'tandem_engine', 'serve', '--model', this.options.modelDir, '--port', String(this.port), '--host', '127.0.0.1'];
    if (this.options.servedName) args.push('--served-name', this.options.servedName);
    if (this.options.dtype) args.push('--dtype', this.options.dtype);
    if (this.options.device) args.push('--device', this.options.device);
    if (this.options.maxBatch) args.push('--max-batch', String(this.options.maxBatch));
    if (this.options.adapterRoot) args.push('--adapter-root', path.resolve(this.options.adapterRoot));
    if (!this.token) args.push('--no-auth');
    const env = engineEnv();
    delete env[ENGINE_TOKEN_ENV];
    if (this.token) env[ENGINE_TOKEN_ENV] = this.token;
    this.emit({ type: 'starting', attempt });
    const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.recentLog.push(line);
      if (this.recentLog.length > 50) this.recentLog.shift();
      this.emit({ type: 'log', line });
    });

    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timeoutS = this.options.startTimeoutS ?? 300;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new EngineError(`the engine did not start within ${timeoutS}s; last log lines:\n${this.recentLog.slice(-10).join('\n')}`));
      }, timeoutS * 1000);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        const last = this.recentLog.slice(-5).join('\n');
        reject(new EngineError(`the engine exited during start-up (code ${code})${last ? `:\n${last}` : ''}`));
      };
      child.once('exit', onExit);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new EngineError(`cannot start ${python}: ${error.message}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        let message: Partial<ListeningLine>;
        try {
          message = JSON.parse(line) as Partial<ListeningLine>;
        } catch {
          return;
        }
        if (message.event === 'listening' && message.base_url) {
          clearTimeout(timer);
          child.removeListener('exit', onExit);
          this.port = message.port ?? this.port;
          this.model = message.model ?? null;
          resolve(message.base_url);
        }
      });
    });
    await waitHealthy(baseUrl.replace(/\/v1\/?$/, ''), this.authHeaders);
    this.baseUrl = baseUrl;
    child.once('exit', (code, signal) => this.onExit(code, signal));
    // Adapters loaded before a crash come back with the engine.
    for (const [name, adapterPath] of this.adapters) await postJson(`${baseUrl}/load_lora_adapter`, { lora_name: name, lora_path: adapterPath }, this.authHeaders);
    this.emit({ type: 'listening', baseUrl, model: this.model ?? '' });
    return baseUrl;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.emit({ type: 'exited', code, signal, expected: this.stopping });
    if (this.stopping) return;
    const now = Date.now();
    const windowMs = (this.options.restartWindowS ?? 300) * 1000;
    this.restartTimes = this.restartTimes.filter((t) => now - t < windowMs);
    if (this.restartTimes.length >= (this.options.maxRestarts ?? 5)) {
      const message = `the engine died ${this.restartTimes.length + 1} times within ${windowMs / 1000}s; not restarting. Last log lines:\n${this.recentLog.slice(-10).join('\n')}`;
      this.ready = Promise.reject(new EngineError(message));
      this.ready.catch(() => {});
      this.emit({ type: 'gave-up', message });
      return;
    }
    this.restartTimes.push(now);
    const delayMs = Math.min(30_000, 500 * 2 ** (this.restartTimes.length - 1));
    this.emit({ type: 'restarting', delayMs, restarts: this.restartTimes.length });
    this.ready = new Promise<void>((resolve) => setTimeout(resolve, delayMs)).then(() => this.spawnOnce(this.restartTimes.length + 1));
    this.ready.catch(() => {});
  }
}

async function waitHealthy(origin: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/health`, { headers, signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new EngineError(`the engine at ${origin} never became healthy (${last})`);
}

async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // keep the raw text
    }
    throw new EngineError(`${url.split('/').pop()} failed (HTTP ${response.status}): ${message}`);
  }
}
