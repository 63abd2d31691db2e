// `tandem report <run>`: the run's report — the paper table with CIs, per-seed values, step means
// and costs — as Markdown (default), CSV, LaTeX, HTML or JSON, on stdout or into a file.

import { existsSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { createApi, isApiError } from '../../api/index.ts';
import { exportRunReport } from '../../api/report.ts';
import { REPORT_FORMATS, type ReportFormat } from '../../report/export.ts';
import { integer, resolveDbPath } from '../options.ts';
import { UsageError } from '../user-error.ts';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('export a run\'s results (table with 95% CIs, per-seed scores, step means, costs)')
    .argument('<run>', 'run id (see `tandem runs`)', integer('<run>', 1))
    .addOption(new Option('--format <format>', 'output format').choices([...REPORT_FORMATS]).default('markdown'))
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .action(async (runId: number, flags: { format: ReportFormat; out?: string; db?: string }) => {
      const file = resolveDbPath(flags.db);
      if (!existsSync(file)) throw new UsageError(`no database at ${file}; pass --db`);
      const api = createApi({ dbPath: file, embeddedModelsDir: null });
      try {
        const detail = await api.getRun({ runId }).catch((error: unknown) => {
          throw isApiError(error) && error.code !== 'internal' ? new UsageError(error.message) : error;
        });
        const report = exportRunReport(detail, flags.format);
        if (flags.out) {
          writeFileSync(flags.out, report.text);
          process.stderr.write(`wrote ${flags.out}\n`);
        } else process.stdout.write(report.text);
      } finally {
        await api.close();
      }
    });
}
