import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strategyOf, stepsOf } from '../../../core/contract/strategy.ts';
import type { ProgramState } from '../../../core/contract/views/program.ts';
import { runChecks } from '../../../core/report/check-results.ts';
import { indexStages } from '../../../core/report/stage-index.ts';
import { makeCall, makeTrace, seedRun, tempStore, type TempStore } from '../store/helpers.ts';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

const definitions = [{ name: 'recall_hop2', label: 'recall@hop2', module: 'generate_query[1]', description: 'both gold paragraphs' }];

function stateWithDemos(traceIds: number[]): ProgramState {
  return {
    version: 1,
    predictors: {
      generate_answer: {
        signature: { instructions: 'Answer.', inputs: [{ name: 'question', description: 'q' }], outputs: [{ name: 'answer', description: 'a' }] },
        demos: traceIds.map((id) => ({ fields: { question: 'q', answer: 'a' }, augmented: true, exampleId: `ex-${id}`, sourceTraceId: id })),
        lm: null,
      },
    },
  };
}

describe('what each stage learned from', () => {
  it("measures a prompt stage's demo traces and a weight stage's training traces, not the demos a weight stage kept", () => {
    const { runId } = seedRun(t.store);
    const baseline = t.store.stages.create({ runId, parentStageId: null, kind: 'baseline', prefix: '', seed: 0 });
    t.store.stages.finish(baseline, { programState: stateWithDemos([]), modelId: null, scores: { dev: 10 } });
    const p = t.store.stages.create({ runId, parentStageId: baseline, kind: 'p', prefix: 'p', seed: 0 });
    const checked = (value: number) => makeTrace([makeCall()], { checks: { recall_hop2: value } });
    const demoIds = t.store.traces.saveMany({ runId, stageId: p, purpose: 'bootstrap' }, [checked(1), checked(0.5)]);
    t.store.stages.finish(p, { programState: stateWithDemos(demoIds), modelId: null, scores: { dev: 40 } });
    const pw = t.store.stages.create({ runId, parentStageId: p, kind: 'w', prefix: 'p -> w', seed: 0 });
    const rowIds = t.store.traces.saveMany({ runId, stageId: pw, purpose: 'finetune-data' }, [checked(1), checked(1), checked(0)]);
    t.store.finetuneJobs.record({
      runId, stageId: pw, finetuner: 'command', groupKey: 'g', predictors: ['generate_answer'], baseModel: 'm', adapterName: 'a', adapterDir: '/a',
      trainFile: '/a/train.jsonl', validFile: null, rows: 3, hyperparams: {}, status: 'finished', sourceTraceIds: rowIds,
    });
    // The weight step keeps the prompts it started from: the same demos as its parent.
    t.store.stages.finish(pw, { programState: stateWithDemos(demoIds), modelId: 'a', scores: { dev: 50 } });

    const stages = t.store.stages.listForRun(runId);
    const strategies = ['', 'p', 'p -> w'].map((key) => strategyOf(stepsOf(key)));
    const checks = runChecks(t.store, runId, definitions, strategies, indexStages(stages), stages, [0], ['dev']);
    expect(checks.sources).toEqual([
      { stageId: p, seed: 0, prefix: 'p', kind: 'p', source: 'demos', traces: 2, checks: { recall_hop2: { mean: 0.75, n: 2, full: 1 } } },
      { stageId: pw, seed: 0, prefix: 'p -> w', kind: 'w', source: 'training', traces: 3, checks: { recall_hop2: { mean: 2 / 3, n: 3, full: 2 } } },
    ]);
  });
});
