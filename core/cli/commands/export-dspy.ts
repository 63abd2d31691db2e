// `tandem export-dspy <run> --stage <prefix>`: a finished stage's program as the JSON
// `dspy.Module.load()` reads, and `tandem import-dspy <file> --task <task>`: what a DSPy saved
// program would give the task's program (`tandem run --from-dspy <file>` starts a run from it).

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Api } from '../../api/index.ts';
import { looksLikeTaskFile } from '../../contract/task-source.ts';
import type { StageSummary } from '../../contract/views/index.ts';
import { saveState } from '../../program/state.ts';
import { dspyFieldMismatches } from '../../report/dspy-state.ts';
import { ExperimentInputError, importedProgram } from '../../runner/spec-builder.ts';
import { preparedTask, prepareTaskFile } from '../../runner/task-sources.ts';
import { getTask, UnknownTaskError } from '../../tasks/registry.ts';
import { integer } from '../options.ts';
import { withWorkspaceApi } from '../workspace-api.ts';
import { UsageError } from '../user-error.ts';

interface ExportDspyFlags {
  stage: string;
  seed?: number;
  out?: string;
  db?: string;
}

/** The run's stage with this strategy prefix (`zero-shot` or empty for the baseline; spaces ignored) and seed (default the run's first). */
export async function findStage(api: Api, runId: number, prefix: string, seed: number | undefined): Promise<StageSummary> {
  const squash = (s: string) => s.replace(/\s+/g, '');
  const wanted = prefix.trim() === 'zero-shot' ? '' : squash(prefix);
  const stages = (await api.listStages({ runId })).filter((s) => squash(s.prefix) === wanted);
  if (stages.length === 0) {
    const known = [...new Set((await api.listStages({ runId })).map((s) => (s.prefix === '' ? 'zero-shot' : s.prefix)))];
    throw new UsageError(`--stage: run ${runId} has no stage "${prefix}" (its stages: ${known.join(', ')})`);
  }
  if (seed === undefined) return stages.reduce((a, b) => ((b.seed ?? 0) < (a.seed ?? 0) ? b : a));
  const stage = stages.find((s) => s.seed === seed);
  if (!stage) throw new UsageError(`--seed: run ${runId} has stage "${prefix}" for seeds ${stages.map((s) => s.seed).join(', ')}, not ${seed}`);
  return stage;
}

export function writeOut(text: string, out: string | undefined): void {
  if (out) {
    writeFileSync(out, text);
    process.stderr.write(`wrote ${out}\n`);
  } else process.stdout.write(text);
}

export function registerExportDspyCommand(program: Command): void {
  program
    .command('export-dspy')
    .description("write a finished stage's program as DSPy's saved-program JSON (load it with dspy.Module.load)")
    .argument('<run>', 'run id (see `tandem runs`)', integer('<run>', 1))
    .requiredOption('--stage <prefix>', 'the stage\'s strategy prefix, e.g. "p", "p -> w", or "zero-shot"')
    .option('--seed <n>', "the stage's seed (default: the run's first)", integer('--seed', 0))
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .action(async (runId: number, flags: ExportDspyFlags) => {
      await withWorkspaceApi(flags.db, async (api) => {
        const stage = await findStage(api, runId, flags.stage, flags.seed);
        const file = await api.exportDspyProgram({ stageId: stage.id });
        writeOut(file.text, flags.out);
      });
    });

  program
    .command('import-dspy')
    .description("check a DSPy saved program against a task's program and show what a run started from it gets (run it with `tandem run <task> --from-dspy <file>`)")
    .argument('<file>', 'the JSON file dspy.Module.save wrote')
    .requiredOption('--task <task>', 'a built-in task or a task file')
    .option('--json', 'print the program state as JSON')
    .action(async (file: string, flags: { task: string; json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(path.resolve(file), 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${path.resolve(file)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      await prepareTaskFile(flags.task);
      let task;
      try {
        task = looksLikeTaskFile(flags.task) ? preparedTask(flags.task)!.task : getTask(flags.task.toLowerCase());
      } catch (error) {
        if (error instanceof UnknownTaskError) throw new UsageError(`--task: ${error.message}`);
        throw error;
      }
      let state;
      try {
        state = importedProgram(text, task);
      } catch (error) {
        if (error instanceof ExperimentInputError) throw new UsageError(`${path.resolve(file)}: ${error.issues.map((i) => i.message).join('; ')}`);
        throw error;
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
        return;
      }
      const lines = [`${file} fits task "${task.name}": a run started with --from-dspy begins from`];
      for (const [p, predictor] of Object.entries(state.predictors)) {
        const augmented = predictor.demos.filter((d) => d.augmented).length;
        lines.push(`  ${p}: ${predictor.demos.length} demo(s) (${augmented} augmented, ${predictor.demos.length - augmented} labeled)`);
        lines.push(`    instructions: ${predictor.signature.instructions}`);
        for (const f of [...predictor.signature.inputs, ...predictor.signature.outputs]) if (f.description) lines.push(`    ${f.name}: ${f.description}`);
      }
      const mismatches = dspyFieldMismatches(JSON.parse(text), saveState(task.createProgram()));
      if (mismatches.length > 0) lines.push('fields are matched by position, as DSPy does; these prefixes name other fields:', ...mismatches.map((m) => `  ${m}`));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
