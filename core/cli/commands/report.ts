// `tandem report <run>`: the run's report — the paper table with CIs, per-seed values, step means
// and costs — as Markdown (default), CSV, LaTeX, HTML or JSON, on stdout or into a file.

import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { Api } from '../../api/index.ts';
import type { Prices } from '../../contract/cost.ts';
import { REPORT_FORMATS, type ReportFormat } from '../../report/export.ts';
import { integer } from '../options.ts';
import { withWorkspaceApi } from '../workspace-api.ts';
import { printHtmlToPdf } from '../../util/print-pdf.ts';
import { UsageError } from '../user-error.ts';

/** The API's text formats, and pdf: the HTML report printed by headless Chromium (print-pdf.ts). */
const FORMATS = [...REPORT_FORMATS, 'pdf'] as const;

interface ReportFlags {
  experiment?: number;
  format: ReportFormat | 'pdf';
  out?: string;
  db?: string;
  priceInput?: number;
  priceOutput?: number;
  priceFinetuneHour?: number;
}

/** Prices from the flags: none, or both token prices (the fine-tune hour defaults to 0). */
function pricesFrom(flags: ReportFlags): Prices | null {
  const given = [flags.priceInput, flags.priceOutput, flags.priceFinetuneHour].some((v) => v !== undefined);
  if (!given) return null;
  if (flags.priceInput === undefined || flags.priceOutput === undefined) throw new UsageError('give both --price-input and --price-output (dollars per 1M tokens)');
  return { inputPerMillion: flags.priceInput, outputPerMillion: flags.priceOutput, finetunePerHour: flags.priceFinetuneHour ?? 0 };
}

/** A dollar amount ≥ 0. */
function decimal(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag}: expected a number of dollars ≥ 0, got "${value}"`);
    return n;
  };
}

/** The command line's prices apply to every run's model (a report of several runs of one model). */
async function pricedForEveryModel(api: Api, runIds: number[], experimentId: number | undefined, prices: Prices): Promise<Record<string, Prices>> {
  const ids = experimentId !== undefined ? (await api.listRuns({ experimentId })).map((r) => r.id) : runIds;
  const models = await Promise.all(ids.map(async (runId) => (await api.getRun({ runId }).catch(() => null))?.run.lm.model));
  return Object.fromEntries(models.filter((m): m is string => typeof m === 'string').map((m) => [m, prices]));
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('export a run\'s results (table with 95% CIs, per-seed scores, step means, costs)')
    .argument('[runs...]', 'run id (see `tandem runs`); several ids make one report comparing them')
    .option('--experiment <id>', "one report for every run of an experiment", integer('--experiment', 1))
    .addOption(new Option('--format <format>', 'output format (pdf: the HTML report printed with Chromium; needs --out)').choices([...FORMATS]).default('markdown'))
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--price-input <usd>', "the model's price per 1M prompt tokens, for the cost table's dollars", decimal('--price-input'))
    .option('--price-output <usd>', 'price per 1M completion tokens (with --price-input)', decimal('--price-output'))
    .option('--price-finetune-hour <usd>', 'price per hour of fine-tuning (default 0)', decimal('--price-finetune-hour'))
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .action(async (runArgs: string[], flags: ReportFlags) => {
      const runIds = runArgs.map((text) => integer('<run>', 1)(text));
      if ((runIds.length === 0) === (flags.experiment === undefined)) throw new UsageError('name a run (tandem report 12), several runs (tandem report 12 13), or --experiment <id>');
      const prices = pricesFrom(flags);
      if (flags.format === 'pdf' && !flags.out) throw new UsageError('--format pdf writes a file: give --out report.pdf');
      await withWorkspaceApi(flags.db, async (api) => {
        const format = flags.format === 'pdf' ? 'html' : flags.format;
        const single = runIds.length === 1 && flags.experiment === undefined;
        const report = single
          ? await api.exportReport({ runId: runIds[0]!, format, ...(prices ? { prices } : {}) })
          : await api.exportRunsReport({
              ...(flags.experiment !== undefined ? { experimentId: flags.experiment } : { runIds }),
              format,
              ...(prices ? { prices: await pricedForEveryModel(api, runIds, flags.experiment, prices) } : {}),
            });
        if (flags.format === 'pdf') {
          await printHtmlToPdf(report.text, flags.out!);
          process.stderr.write(`wrote ${flags.out}\n`);
        } else if (flags.out) {
          writeFileSync(flags.out, report.text);
          process.stderr.write(`wrote ${flags.out}\n`);
        } else process.stdout.write(report.text);
      });
    });
}
