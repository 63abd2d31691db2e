// The setup section of a report: what a reader needs to reproduce or judge the run — task (and
// the task file with its SHA-256), data, program modules, model and server, strategies and seeds,
// every optimizer setting, sampling, and the Tandem version.

import type { ExperimentSpec } from '../contract/views/spec.ts';

export interface SetupFacts {
  spec: ExperimentSpec | null;
  /** The program's modules (predictor paths), in program order. */
  modules: readonly string[];
  tandemVersion: string;
}

export function setupRows(setup: SetupFacts): Array<[string, string]> {
  const { spec } = setup;
  const rows: Array<[string, string]> = [];
  if (spec) {
    rows.push(['task', spec.taskSource?.kind === 'module' ? `${spec.task} (file ${spec.taskSource.file}, sha256 ${spec.taskSource.sha256.slice(0, 12)}…)` : spec.task]);
    rows.push(['data', spec.dataPath ?? 'bundled']);
  }
  if (setup.modules.length > 0) rows.push(['program modules', setup.modules.join(', ')]);
  if (spec) {
    rows.push(['model', `${spec.lm.provider}:${spec.lm.model}${spec.lm.baseUrl ? ` at ${spec.lm.baseUrl}` : ''}`]);
    if (spec.retriever) rows.push(['retriever', spec.retriever.backend === 'bm25' ? `bm25:${spec.retriever.index}` : `colbert:${spec.retriever.url}`]);
    if (spec.initialProgram) {
      const demos = Object.values(spec.initialProgram.predictors).reduce((n, p) => n + p.demos.length, 0);
      rows.push(['starting program', `imported from a DSPy saved program (${demos} demo(s) over ${Object.keys(spec.initialProgram.predictors).length} predictor(s))`]);
    }
    rows.push(['strategies', spec.strategies.join(', ')]);
    rows.push(['seeds', spec.seeds.join(', ')]);
    rows.push(['evaluated on', spec.evalSplits.join(', ')]);
    const rs = spec.randomSearch;
    rows.push(['Π (random search)', `${rs.numCandidates} shuffled candidates, ≤ ${rs.maxBootstrappedDemos} bootstrapped and ≤ ${rs.maxLabeledDemos} labeled demos per predictor, ${rs.maxRounds} round(s)`]);
    const h = spec.hyperparams;
    const backend = spec.finetune === null ? 'none' : spec.finetune.kind === 'local' ? 'local engine' : `command (${spec.finetune.baseModel})`;
    rows.push(['Θ (fine-tuning)', `${backend}${spec.finetunePerModule ? ', one adapter per module' : ''}; LoRA rank ${h.rank}, alpha ${h.alpha}, dropout ${h.dropout}, learning rate ${h.learningRate}, ${h.epochs} epoch(s), batch ${h.batchSize} × ${h.gradientAccumulation}, max ${h.maxSeqLen} tokens`]);
    rows.push(['sampling', `temperature ${spec.sampling.temperature ?? 'default'}, max tokens ${spec.sampling.maxTokens ?? 'default'}${spec.seededRequests ? ', seeded requests' : ''}`]);
    rows.push(['response cache', spec.useCache ? 'on' : 'off']);
  }
  rows.push(['Tandem', setup.tandemVersion]);
  return rows;
}
