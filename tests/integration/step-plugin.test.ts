// A step kind registered from outside Tandem's code runs like the built-in `p` and `w`: the
// strategy grammar accepts its token, the runner plans and runs its stages, the store records
// them with its kind, and the table has its strategies' rows. It runs through the real runner and
// through the real `tandem run` command (its in-process entry, so this file's registration is
// seen), against the stub server in its own process.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../core/cli/main.ts';
import { labeledFewShot } from '../../core/optimize/labeled-few-shot.ts';
import type { ProgramState } from '../../core/contract/views/program.ts';
import type { RunEvent } from '../../core/runner/events.ts';
import { savedSpec, startRun } from '../../core/runner/run-experiment.ts';
import { openRuntime } from '../../core/runner/runtime.ts';
import { knownStepTokens, registerStepKind, stepKinds } from '../../core/runner/steps/registry.ts';
import type { StepKind } from '../../core/runner/steps/step-kind.ts';
import { openStore } from '../../core/store/index.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

/** `l`: every predictor gets k labeled training examples as demos (k: the run's maxLabeledDemos). */
const labeledStep: StepKind = {
  info: { token: 'l', name: 'labeled few-shot', needsFinetuner: false },
  async run(input) {
    const k = Math.min(input.settings.randomSearch.maxLabeledDemos, input.train.length);
    return { program: labeledFewShot(input.program, input.train, k, input.stepSeed) };
  },
};

let stub: StubServerHandle;
let dir: string;
/** The database and run the CLI test wrote; the runner test reuses the spec it saved. */
let cliDb: string;
let cliRunId: number;

beforeAll(async () => {
  registerStepKind(labeledStep);
  stub = await startStubServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-step-plugin-'));
  cliDb = path.join(dir, 'cli.db');
});

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `tandem <args>` in this process, capturing what it writes. */
async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function labeledDemosOf(state: unknown): number[] {
  return Object.values((state as ProgramState).predictors).map((p) => p.demos.filter((d) => !d.augmented).length);
}

describe('a registered third step kind', () => {
  it('is listed after p and w', () => {
    expect(knownStepTokens()).toEqual(['p', 'w', 'l']);
    expect(stepKinds().at(-1)).toEqual({ token: 'l', name: 'labeled few-shot', needsFinetuner: false });
  });

  it('runs through `tandem run --strategies "l, p -> l"`', async () => {
    const result = await runMain(['run', 'iris', '--strategies', 'l, p -> l', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', cliDb, '--candidates', '2', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    cliRunId = summary.runId;
    expect(summary).toMatchObject({ task: 'iris', strategies: ['l', 'p -> l'], status: 'finished' });
    expect(summary.table.map((r: { strategy: string }) => r.strategy)).toEqual(['', 'l', 'p -> l']);
    for (const row of summary.table) expect(row.cells.dev.mean).toBeGreaterThanOrEqual(0);

    const store = openStore(cliDb);
    try {
      const stages = store.stages.listForRun(summary.runId);
      expect(stages.map((s) => [s.kind, s.prefix, s.status])).toEqual([
        ['baseline', '', 'finished'],
        ['l', 'l', 'finished'],
        ['p', 'p', 'finished'],
        ['l', 'p -> l', 'finished'],
      ]);
      const k = savedSpec(store, summary.runId).randomSearch.maxLabeledDemos;
      for (const stage of stages.filter((s) => s.kind === 'l')) expect(labeledDemosOf(stage.programState).every((n) => n === k)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('runs through the runner, from the spec the CLI saved', async () => {
    const cliStore = openStore(cliDb);
    const spec = { ...savedSpec(cliStore, cliRunId), strategies: ['l'] };
    cliStore.close();

    const store = openStore(path.join(dir, 'runner.db'));
    const runtime = await openRuntime(spec, { libraryDir: dir, env: {} });
    const events: RunEvent[] = [];
    try {
      const outcome = await startRun(spec, { store, runtime, onEvent: (e) => events.push(e) });
      expect(outcome.results.rows.map((r) => r.strategy)).toEqual(['', 'l']);
      expect(outcome.results.rows[1]!.cells.test!.mean).not.toBeNull();
      const stages = store.stages.listForRun(outcome.runId);
      expect(stages.map((s) => [s.kind, s.prefix, s.status])).toEqual([
        ['baseline', '', 'finished'],
        ['l', 'l', 'finished'],
      ]);
      expect(events.filter((e) => e.type === 'stage-end').map((e) => e.type === 'stage-end' && e.kind)).toEqual(['baseline', 'l']);
    } finally {
      await runtime.close();
      store.close();
    }
  });
});
