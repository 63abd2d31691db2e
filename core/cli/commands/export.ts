// `tandem export <run>`: the run as one bundle file (`--out run.tandem`; default the workspace's
// exports folder) for `tandem import` in another workspace, optionally with its adapters; or, with
// `--training-data <dir>`, every fine-tune job's rows as OpenAI-format chat JSONL with their
// provenance files.

import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { integer } from '../options.ts';
import { UsageError } from '../user-error.ts';
import { withWorkspaceApi } from '../workspace-api.ts';

interface ExportFlags {
  out?: string;
  withAdapters?: boolean;
  trainingData?: string;
  db?: string;
}

function moveFile(from: string, to: string): void {
  mkdirSync(path.dirname(path.resolve(to)), { recursive: true });
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to); // another file system
    rmSync(from, { force: true });
  }
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write a run as one bundle file (for `tandem import` elsewhere), or its fine-tune jobs\' training rows')
    .argument('<run>', 'run id (see `tandem runs`)', integer('<run>', 1))
    .option('--out <file>', 'the bundle file to write (default: <workspace>/exports/run-<id>-<time>.tandem)')
    .option('--with-adapters', 'also carry the fine-tuned adapters\' files')
    .option('--training-data <dir>', 'instead of a bundle, write each fine-tune job\'s rows (chat JSONL, OpenAI format) and provenance into this folder')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .action(async (runId: number, flags: ExportFlags) => {
      if (flags.trainingData && (flags.out || flags.withAdapters)) throw new UsageError('--training-data writes the rows only: leave out --out and --with-adapters');
      await withWorkspaceApi(flags.db, async (api) => {
        if (flags.trainingData) {
          await api.getRun({ runId });
          const jobs = await api.listFinetuneJobs({ runId });
          if (jobs.length === 0) throw new UsageError(`run ${runId} has no fine-tune jobs`);
          mkdirSync(flags.trainingData, { recursive: true });
          for (const job of jobs) {
            const data = await api.getFinetuneData({ jobId: job.id });
            for (const f of data.files) writeFileSync(path.join(flags.trainingData, f.filename), f.text);
            process.stderr.write(`job ${job.id}: ${data.rows} rows → ${data.files.map((f) => f.filename).join(', ')}\n`);
          }
          process.stderr.write(`wrote ${flags.trainingData}\n`);
          return;
        }
        const bundle = await api.exportRunBundle({ runId, withAdapters: flags.withAdapters === true });
        let where = bundle.path;
        if (flags.out) {
          moveFile(bundle.path, flags.out);
          where = flags.out;
        }
        const rows = Object.entries(bundle.counts).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t}`).join(', ');
        process.stderr.write(`wrote ${where} (${bundle.bytes} bytes: ${rows}; ${bundle.files} files)\n`);
      });
    });
}
