// `tandem models list | add <dir> | pull <repo id>`: the model library of a workspace.
// Progress of a pull goes to stderr (one line redrawn on a terminal, a line every few seconds
// otherwise); results go to stdout (a table or summary, or JSON with --json).

import path from 'node:path';
import type { Command } from 'commander';
import { ModelLibrary, defaultModelLibraryDir, type ModelEntry } from '../../models/model-library.ts';
import { pullModel, type PullEvent, type PullProgress, type PullResult } from '../../models/hub-pull.ts';
import type { TransferProgress } from '../../models/copy-files.ts';
import { duration, table } from '../format.ts';
import { resolveDbPath } from '../options.ts';

export interface ModelsCommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Redraw one progress line in place (a terminal) or print lines now and then (logs, CI). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** Terminal width for the progress line. */
  columns?: number;
}

function processIO(): ModelsCommandIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  };
}

interface LibraryFlags {
  dir?: string;
  db?: string;
  json?: boolean;
}

/** The library folder: --dir, else $TANDEM_MODELS, else <workspace of --db / $TANDEM_DB>/models. */
export function resolveModelLibraryDir(flags: { dir?: string; db?: string }, env: Record<string, string | undefined> = process.env): string {
  if (flags.dir) return path.resolve(flags.dir);
  if (env.TANDEM_MODELS) return path.resolve(env.TANDEM_MODELS);
  return defaultModelLibraryDir(path.dirname(resolveDbPath(flags.db)));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatParameters(n: number | null): string {
  if (n === null) return '?';
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

function withLibraryOptions(command: Command): Command {
  return command
    .option('--dir <folder>', 'model library folder (env TANDEM_MODELS; default "models" beside the workspace database)')
    .option('--db <file>', 'workspace database whose folder holds the library (env TANDEM_DB; default ./.tandem/tandem.db)');
}

export function registerModelsCommand(program: Command, io: ModelsCommandIO = processIO()): void {
  const models = program.command('models').description('list, add and download the models the local engine can serve and fine-tune');

  withLibraryOptions(models.command('list').description('list the models in the library and the embedded ones'))
    .option('--json', 'print the models as JSON')
    .action((flags: LibraryFlags) => {
      const library = new ModelLibrary({ dir: resolveModelLibraryDir(flags, io.env) });
      const entries = library.listModels();
      if (flags.json) {
        io.stdout(`${JSON.stringify({ dir: library.dir, models: entries })}\n`);
        return;
      }
      if (entries.length === 0) {
        io.stdout(`no models in ${library.dir} yet; add one with \`tandem models add <dir>\` or \`tandem models pull <repo id>\`\n`);
        return;
      }
      io.stdout(`${renderModels(entries)}\n`);
    });

  withLibraryOptions(models.command('add').description('register a Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json)'))
    .argument('<dir>', 'the checkpoint folder')
    .option('--name <name>', 'name in the library (default: the folder name)')
    .option('--copy', 'copy the files into the library instead of pointing at the folder')
    .option('--json', 'print the new entry as JSON')
    .action(async (dir: string, flags: LibraryFlags & { name?: string; copy?: boolean }) => {
      const library = new ModelLibrary({ dir: resolveModelLibraryDir(flags, io.env) });
      const view = new TransferView(io);
      const entry = await library.addModel(dir, {
        ...(flags.name ? { name: flags.name } : {}),
        copy: Boolean(flags.copy),
        onProgress: (p) => view.progress(p, ''),
      });
      view.clear();
      if (flags.json) {
        io.stdout(`${JSON.stringify(entry)}\n`);
        return;
      }
      const how = entry.linked ? `pointing at ${entry.path}` : `copied to ${entry.path}`;
      io.stdout(`added "${entry.name}" (${how}): ${describeEntry(entry)}\n`);
    });

  withLibraryOptions(models.command('pull').description('download a checkpoint from the Hugging Face Hub (resumable, SHA-256 verified)'))
    .argument('<repo>', 'hub repo id, e.g. HuggingFaceTB/SmolLM2-135M-Instruct')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--endpoint <url>', 'hub URL (env HF_ENDPOINT; default https://huggingface.co)')
    .option('--name <name>', 'name in the library (default: the repo name)')
    .option('--include <pattern...>', 'repo files to take instead of the checkpoint defaults (globs; "*" stays within a folder)')
    .option('--allow-unverified', 'take files the hub declares no hash for (their bytes cannot be verified)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nGated and private repos need an access token in HF_TOKEN. Interrupted pulls resume when run again.')
    .action(async (repo: string, flags: LibraryFlags & { revision: string; endpoint?: string; name?: string; include?: string[]; allowUnverified?: boolean }) => {
      const library = new ModelLibrary({ dir: resolveModelLibraryDir(flags, io.env) });
      const view = new TransferView(io, false);
      const controller = new AbortController();
      const onSigint = () => {
        view.clear();
        io.stderr('\ncancelling… (what was downloaded is kept; Ctrl-C again to quit at once)\n');
        controller.abort();
        process.once('SIGINT', () => process.exit(130));
      };
      process.once('SIGINT', onSigint);
      try {
        const result = await pullModel(repo, {
          library,
          revision: flags.revision,
          ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
          ...(flags.name ? { name: flags.name } : {}),
          ...(flags.include ? { allowPatterns: flags.include } : {}),
          ...(flags.allowUnverified ? { allowUnverified: true } : {}),
          env: io.env,
          signal: controller.signal,
          onProgress: (p) => {
            const finished = p.bytesTotal !== null && p.bytesDone >= p.bytesTotal;
            view.progress(p, `[${Math.min(finished ? p.filesDone : p.filesDone + 1, p.filesTotal)}/${p.filesTotal}] `);
          },
          onEvent: (e) => view.event(e),
        });
        view.clear();
        io.stdout(flags.json ? `${JSON.stringify(jsonResult(result))}\n` : `${renderPull(result)}\n`);
      } finally {
        view.clear();
        process.removeListener('SIGINT', onSigint);
      }
    });
}

function describeEntry(e: ModelEntry): string {
  return `${e.architecture ?? 'unknown architecture'}, ${formatParameters(e.parameters)} parameters, ${formatBytes(e.sizeBytes)}${e.dtype ? ` ${e.dtype}` : ''}${e.hasChatTemplate ? ', chat template' : ', no chat template'}`;
}

export function renderModels(entries: ModelEntry[]): string {
  const rows = entries.map((e) => [
    e.name,
    e.source === 'pulled' && e.repo ? `pulled (${e.repo})` : e.linked ? 'local (linked)' : e.source,
    e.architecture ?? '—',
    e.problem ? '—' : formatParameters(e.parameters),
    e.problem ? '—' : formatBytes(e.sizeBytes),
    e.dtype ?? '—',
    e.problem ? '—' : e.hasChatTemplate ? 'yes' : 'no',
    e.path,
  ]);
  const text = table(['name', 'source', 'architecture', 'params', 'size', 'dtype', 'chat', 'path'], rows, ['left', 'left', 'left', 'right', 'right', 'left', 'left', 'left']);
  const problems = entries.filter((e) => e.problem).map((e) => `! ${e.name}: ${e.problem}`);
  return problems.length > 0 ? `${text}\n\n${problems.join('\n')}` : text;
}

function jsonResult(r: PullResult) {
  return { name: r.name, path: r.path, repo: r.repo, revision: r.revision, sha: r.sha, endpoint: r.endpoint, upToDate: r.upToDate, files: r.files, totalBytes: r.totalBytes, bytesDownloaded: r.bytesDownloaded, seconds: r.seconds, model: r.entry };
}

export function renderPull(r: PullResult): string {
  const commit = r.sha.slice(0, 12);
  if (r.upToDate) return `"${r.name}" is up to date with ${r.repo}@${r.revision} (commit ${commit}): ${r.path}`;
  const rate = r.seconds > 0 && r.bytesDownloaded > 0 ? ` (${formatBytes(r.bytesDownloaded / r.seconds)}/s)` : '';
  const reused = r.bytesDownloaded < r.totalBytes ? `, ${formatBytes(r.bytesDownloaded)} downloaded` : '';
  return [
    `pulled ${r.repo}@${r.revision} (commit ${commit}) as "${r.name}": ${r.files.length} files, ${formatBytes(r.totalBytes)}${reused} in ${duration(r.seconds)}${rate}, all verified`,
    `  ${r.path}`,
    `  ${describeEntry(r.entry)}`,
  ].join('\n');
}

/** The progress line of a copy or a download. */
class TransferView {
  private lastDraw: number;
  private drawn = false;
  private readonly interval: number;

  /** `ready` false: show nothing until the pull has said what it will download. */
  constructor(
    private readonly io: ModelsCommandIO,
    private ready = true,
  ) {
    this.interval = io.isTTY ? 100 : 5000;
    this.lastDraw = io.isTTY ? 0 : Date.now(); // logs get a first line after `interval`, not at once
  }

  progress(p: TransferProgress | PullProgress, prefix: string): void {
    const now = Date.now();
    if (!this.ready || now - this.lastDraw < this.interval) return;
    this.lastDraw = now;
    const file = p.bytesTotal ? `${p.file} ${percent(p.bytesDone, p.bytesTotal)}` : `${p.file} ${formatBytes(p.bytesDone)}`;
    const eta = p.speed > 0 && p.overallTotal > p.overallDone ? ` | eta ${duration((p.overallTotal - p.overallDone) / p.speed)}` : '';
    const speed = p.speed > 0 ? ` | ${formatBytes(p.speed)}/s` : '';
    const line = `${prefix}${file} | ${formatBytes(p.overallDone)} of ${formatBytes(p.overallTotal)} (${percent(p.overallDone, p.overallTotal)})${speed}${eta}`;
    if (this.io.isTTY) {
      this.io.stderr(`\r\x1b[K${line.slice(0, (this.io.columns ?? 120) - 1)}`);
      this.drawn = true;
    } else {
      this.io.stderr(`${line}\n`);
    }
  }

  event(e: PullEvent): void {
    switch (e.type) {
      case 'resolved':
        this.ready = true;
        this.line(`pulling ${e.repo}@${e.revision} (commit ${e.sha.slice(0, 12)}): ${e.files.length} files, ${formatBytes(e.totalBytes)}`);
        break;
      case 'up-to-date':
        break;
      case 'skip':
        this.line(`  skipping ${e.file}: ${e.reason}`);
        break;
      case 'resume':
        this.line(`  resuming ${e.file} from ${formatBytes(e.from)}`);
        break;
      case 'restart':
        this.line(`  restarting ${e.file}: ${e.reason}`);
        break;
      case 'retry':
        this.line(`  retry ${e.attempt}${e.file ? ` of ${e.file}` : ''} in ${duration(e.delayMs / 1000)}: ${e.reason}`);
        break;
      case 'file-done':
        if (!this.io.isTTY && this.ready) this.line(`  ${e.reused ? 'kept' : 'verified'} ${e.file} (${formatBytes(e.size)})`);
        break;
      case 'file-start':
        break;
    }
  }

  clear(): void {
    if (this.drawn) this.io.stderr('\r\x1b[K');
    this.drawn = false;
  }

  private line(text: string): void {
    this.clear();
    this.io.stderr(`${text}\n`);
    if (this.io.isTTY) this.lastDraw = 0; // redraw the status line under it at once
  }
}

function percent(done: number, total: number): string {
  return total > 0 ? `${Math.min(100, Math.floor((done / total) * 100))}%` : '—';
}
