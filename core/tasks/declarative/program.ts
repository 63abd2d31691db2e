// The program of a no-code task: an optional retrieval step, then the stages in order, each a
// Predict or ChainOfThought held in the array `stages` (predictor paths `stages[0]`,
// `stages[1]`, …, stable across clones and saved states). A stage reads the task's inputs, the
// retrieved passages (`context`) and earlier stages' outputs; the last stage's prediction is the
// program's.

import { CONTEXT_FIELD, type StagePlan } from '../../contract/task-definition.ts';
import { ChainOfThought } from '../../program/chain-of-thought.ts';
import type { CallContext } from '../../program/context.ts';
import type { FieldValue, Prediction } from '../../program/example.ts';
import { Module } from '../../program/module.ts';
import { Predict } from '../../program/predict.ts';
import { Retrieve } from '../../program/retrieve.ts';
import { Signature } from '../../program/signature.ts';
import { contextLine } from '../hotpotqa-program.ts';

export interface RetrievalStep {
  k: number;
  /** The input whose value is the search query. */
  queryField: string;
}

/** A stage's predictor: its signature from the plan, chain of thought adding `reasoning`. */
export function stagePredictor(plan: StagePlan): Predict {
  const signature = new Signature({ inputs: plan.inputs, outputs: plan.outputs, instructions: plan.instructions });
  return plan.kind === 'chain-of-thought' ? new ChainOfThought(signature) : new Predict(signature);
}

function queryText(value: FieldValue | undefined): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(' ') : String(value);
}

export class DeclarativeProgram extends Module {
  retrieve?: Retrieve;
  stages: Predict[];
  /** Which fields each stage writes, and the retrieval step: a plain object, so module walking passes it by and clones share it. */
  private readonly plan: { outputs: string[][]; retrieval: RetrievalStep | null };

  constructor(stages: readonly StagePlan[], retrieval: RetrievalStep | null) {
    super();
    if (stages.length === 0) throw new Error('a program needs at least one stage');
    if (retrieval) this.retrieve = new Retrieve(retrieval.k);
    this.stages = stages.map(stagePredictor);
    this.plan = { outputs: stages.map((s) => s.outputs.map((f) => f.name)), retrieval };
  }

  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    const fields: Record<string, FieldValue> = { ...inputs };
    const { retrieval, outputs } = this.plan;
    if (retrieval && this.retrieve) {
      const passages = await this.retrieve.forward(queryText(inputs[retrieval.queryField]), ctx);
      fields[CONTEXT_FIELD] = passages.map(contextLine);
    }
    let prediction: Prediction = {};
    for (let i = 0; i < this.stages.length; i++) {
      prediction = await this.stages[i]!.forward(fields, ctx);
      for (const name of outputs[i]!) fields[name] = prediction[name] ?? null;
    }
    return prediction;
  }
}
