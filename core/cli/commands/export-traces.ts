// `tandem export-traces <run>`: a stage's evaluation traces as OTLP/JSON spans with OpenInference
// attributes (CHAIN per program run, LLM per call, RETRIEVER per retrieval), for Phoenix or
// Langfuse; the filters are the trace list's.

import type { Command } from 'commander';
import { EXPORT_TRACES_MAX } from '../../contract/schemas.ts';
import { integer } from '../options.ts';
import { UsageError } from '../user-error.ts';
import { withWorkspaceApi } from '../workspace-api.ts';
import { findStage, writeOut } from './export-dspy.ts';

interface ExportTracesFlags {
  stage: string;
  seed?: number;
  split?: string;
  passed?: boolean;
  failed?: boolean;
  search?: string;
  limit: number;
  out?: string;
  db?: string;
}

export function registerExportTracesCommand(program: Command): void {
  program
    .command('export-traces')
    .description("write a stage's evaluation traces as OpenTelemetry (OTLP/JSON) spans with OpenInference attributes, for Phoenix or Langfuse")
    .argument('<run>', 'run id (see `tandem runs`)', integer('<run>', 1))
    .option('--stage <prefix>', 'the stage\'s strategy prefix, e.g. "p -> w"', 'zero-shot')
    .option('--seed <n>', "the stage's seed (default: the run's first)", integer('--seed', 0))
    .option('--split <split>', 'dev or test (default: test if the stage was evaluated on it)')
    .option('--passed', 'only examples that passed')
    .option('--not-passed', 'only examples that did not pass')
    .option('--failed', 'only examples whose program failed (LM, parse or program error)')
    .option('--search <words>', 'only examples whose id, inputs or prediction contain every word')
    .option('--limit <n>', `at most this many traces (up to ${EXPORT_TRACES_MAX})`, integer('--limit', 1, EXPORT_TRACES_MAX), 1000)
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .action(async (runId: number, flags: ExportTracesFlags & { notPassed?: boolean }) => {
      if (flags.passed && flags.notPassed) throw new UsageError('give --passed or --not-passed, not both');
      if (flags.split !== undefined && flags.split !== 'dev' && flags.split !== 'test') throw new UsageError(`--split: expected dev or test, got "${flags.split}"`);
      await withWorkspaceApi(flags.db, async (api) => {
        const stage = await findStage(api, runId, flags.stage, flags.seed);
        const split = (flags.split ?? (stage.scores && 'test' in stage.scores ? 'test' : 'dev')) as 'dev' | 'test';
        const file = await api.exportTraces({
          stageId: stage.id,
          split,
          limit: flags.limit,
          ...(flags.passed ? { passed: true } : flags.notPassed ? { passed: false } : {}),
          ...(flags.failed ? { failed: true } : {}),
          ...(flags.search !== undefined ? { search: flags.search } : {}),
        });
        writeOut(file.text, flags.out);
      });
    });
}
