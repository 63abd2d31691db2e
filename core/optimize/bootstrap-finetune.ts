// Θ: bootstrap fine-tuning. Run the program as it is now (on its current models) over the train
// set, keep the traces that pass the metric, and turn every module call in them into a chat
// training row rendered with the zero-shot prompt (instructions, no demos; `keepDemos` keeps
// them). Modules that share an LM are pooled into one multitask set (`perModule` trains one
// adapter per module instead). Each set becomes a LoRA adapter; the modules are rebound to it only
// when training succeeded. No passing traces is an outcome (the paper's "—"), not an error.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { storedProviderName } from '../contract/providers.ts';
import { evaluate } from '../evaluate/evaluate.ts';
import type { FinetuneEvent, FinetuneResult, Finetuner, LoraHyperparams } from '../finetune/finetuner.ts';
import type { LMBinding } from '../lm/lm-binding.ts';
import type { Example } from '../program/example.ts';
import type { Module } from '../program/module.ts';
import { Rng } from '../util/random.ts';
import type { OptimizerContext } from './optimizer-context.ts';

export interface BootstrapFinetuneOptions {
  finetuner: Finetuner;
  hyperparams: LoraHyperparams;
  /** Folder for this step's data and adapters. */
  workDir: string;
  /** Prefix of adapter model names, e.g. `run12-w1`. */
  adapterPrefix: string;
  /** The binding predictors with `lm: null` use (the run's default model). */
  defaultBinding: LMBinding;
  keepDemos?: boolean;
  perModule?: boolean;
  /** Fraction of rows held out as validation data (default 0: the paper trains on all). */
  validFraction?: number;
  metricThreshold?: number;
  seed: number;
  onFinetuneEvent?: (group: string, event: FinetuneEvent) => void;
  /** Called once per adapter job, trained or failed (persist it here). */
  onJob?: (job: FinetuneJobReport) => void;
  /** An adapter this group already trained (before a crash): served again instead of retrained. */
  reuseAdapter?: (group: string) => Omit<FinetuneResult, 'binding'> | null;
}

export interface FinetuneJobReport {
  group: string;
  predictors: string[];
  base: LMBinding;
  adapterName: string;
  trainFile: string;
  validFile: string | null;
  rows: number;
  /** The stored traces the rows came from, distinct, ascending (empty when traces are not recorded). */
  sourceTraceIds: number[];
  hyperparams: LoraHyperparams;
  result: FinetuneResult | null;
  error: string | null;
}

export interface TrainingRowSource {
  traceId: number | null;
  exampleId: string | null;
  predictor: string;
}

export interface FinetuneGroupOutcome {
  group: string;
  predictors: string[];
  base: LMBinding;
  trainFile: string;
  validFile: string | null;
  rows: number;
  result: FinetuneResult;
}

export type BootstrapFinetuneOutcome<T extends Module> =
  | { status: 'trained'; program: T; tracesRun: number; passingTraces: number; groups: FinetuneGroupOutcome[] }
  | { status: 'no-passing-traces'; program: T; tracesRun: number; passingTraces: 0; groups: [] };

interface Row {
  messages: unknown;
  source: TrainingRowSource;
}

export async function bootstrapFinetune<T extends Module>(
  student: T,
  trainset: readonly Example[],
  options: BootstrapFinetuneOptions,
  ctx: OptimizerContext,
): Promise<BootstrapFinetuneOutcome<T>> {
  const program = student.clone();
  const evaluation = await evaluate(program, trainset, ctx.metric, ctx.env, {
    concurrency: ctx.concurrency,
    ...(ctx.checks ? { checks: ctx.checks } : {}),
    ...(options.metricThreshold !== undefined ? { passThreshold: options.metricThreshold } : {}),
  });
  const traces = evaluation.results.map((r) => r.trace);
  const ids = ctx.recordTraces?.(traces, 'finetune-data') ?? traces.map(() => null);
  const passing = evaluation.results.filter((r) => r.passed && r.trace.error === null);
  if (passing.length === 0) {
    return { status: 'no-passing-traces', program, tracesRun: traces.length, passingTraces: 0, groups: [] };
  }

  const predictors = new Map(program.namedPredictors());
  const bindingOf = (predictorPath: string): LMBinding => predictors.get(predictorPath)?.lm ?? options.defaultBinding;
  const groupKey = (predictorPath: string): string => {
    if (options.perModule) return predictorPath;
    const b = bindingOf(predictorPath);
    return `${storedProviderName(b.provider)}|${b.baseUrl ?? ''}|${b.model}`;
  };

  const groups = new Map<string, { predictors: Set<string>; rows: Row[] }>();
  for (const result of passing) {
    const traceId = ids[result.index] ?? null;
    for (const call of result.trace.calls) {
      const predictor = predictors.get(call.predictor);
      if (!predictor || call.outputs === null) continue;
      const row = ctx.env.adapter.formatFinetuneRow(predictor.signature, options.keepDemos ? predictor.demos : [], call.inputs, call.outputs);
      const key = groupKey(call.predictor);
      const group = groups.get(key) ?? { predictors: new Set<string>(), rows: [] };
      group.predictors.add(call.predictor);
      group.rows.push({ messages: row.messages, source: { traceId, exampleId: result.example.id, predictor: call.predictor } });
      groups.set(key, group);
    }
  }

  const outcomes: FinetuneGroupOutcome[] = [];
  let index = 0;
  for (const [key, group] of groups) {
    index++;
    const name = groups.size === 1 ? options.adapterPrefix : `${options.adapterPrefix}-${index}`;
    const dir = path.join(options.workDir, name);
    mkdirSync(dir, { recursive: true });
    const rows = new Rng(options.seed).shuffle(group.rows);
    const validCount = Math.floor(rows.length * (options.validFraction ?? 0));
    const valid = rows.slice(0, validCount);
    const train = rows.slice(validCount);
    const trainFile = path.join(dir, 'train.jsonl');
    const validFile = valid.length > 0 ? path.join(dir, 'valid.jsonl') : null;
    writeJsonl(trainFile, train.map((r) => ({ messages: r.messages })));
    if (validFile) writeJsonl(validFile, valid.map((r) => ({ messages: r.messages })));
    // Provenance: row i of each file came from this trace, example and predictor.
    writeJsonl(path.join(dir, 'provenance.jsonl'), [
      ...train.map((r, i) => ({ file: 'train.jsonl', row: i, ...r.source })),
      ...valid.map((r, i) => ({ file: 'valid.jsonl', row: i, ...r.source })),
    ]);
    const firstPredictor = [...group.predictors][0]!;
    const current = bindingOf(firstPredictor);
    // A module already on an adapter is trained afresh from its base model on the new traces.
    const base: LMBinding = current.baseModel ? { ...current, model: current.baseModel } : current;
    const hyperparams = { ...options.hyperparams, seed: options.seed };
    const sourceTraceIds = [...new Set(group.rows.flatMap((r) => (r.source.traceId === null ? [] : [r.source.traceId])))].sort((a, b) => a - b);
    const report = { group: key, predictors: [...group.predictors], base, adapterName: name, trainFile, validFile, rows: rows.length, sourceTraceIds, hyperparams };
    let result: FinetuneResult;
    const earlier = options.reuseAdapter?.(key) ?? null;
    if (earlier) {
      const binding = await options.finetuner.attach(name, earlier.adapterDir, base);
      outcomes.push({ group: key, predictors: [...group.predictors], base, trainFile, validFile, rows: rows.length, result: { ...earlier, binding } });
      continue;
    }
    try {
      result = await options.finetuner.finetune(
        { base, trainFile, validFile, outDir: freshDir(path.join(dir, 'adapter')), adapterName: name, hyperparams },
        {
          onEvent: (event) => options.onFinetuneEvent?.(key, event),
          ...(ctx.env.signal ? { signal: ctx.env.signal } : {}),
        },
      );
    } catch (error) {
      options.onJob?.({ ...report, result: null, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    options.onJob?.({ ...report, result, error: null });
    outcomes.push({ group: key, predictors: [...group.predictors], base, trainFile, validFile, rows: rows.length, result });
  }

  // Only now, with every adapter trained, do the modules switch models.
  for (const outcome of outcomes) {
    for (const predictorPath of outcome.predictors) predictors.get(predictorPath)!.lm = { ...outcome.result.binding };
  }
  return { status: 'trained', program, tracesRun: traces.length, passingTraces: passing.length, groups: outcomes };
}

/** A folder name not used yet: a crashed attempt's half-written adapter is never overwritten. */
function freshDir(base: string): string {
  let candidate = base;
  for (let attempt = 2; existsSync(candidate); attempt++) candidate = `${base}-${attempt}`;
  return candidate;
}

function writeJsonl(file: string, rows: unknown[]): void {
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : ''));
}
