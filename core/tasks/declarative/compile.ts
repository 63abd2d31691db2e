// A no-code task definition compiled into a Task: the program from the planned stages, the
// metric from the list, load() reading the dataset file (relative paths against `baseDir`) into
// seeded splits, the Π subsample, and, when the definition retrieves, the retrieval default (an
// index built on first use from the definition's corpus, or a workspace index it names). The Task
// depends only on the definition and baseDir, so a run's spec that carries both can rebuild it.

import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  DEFAULT_DECLARATIVE_PROTOCOL,
  planStages,
  TaskDefinitionSchema,
  type TaskDefinition,
  type TaskDefinitionInput,
} from '../../contract/task-definition.ts';
import { issuesOf } from '../../contract/input-issues.ts';
import { DatasetError } from '../../datasets/errors.ts';
import { readPassageCorpus, type Passage } from '../../datasets/passage-corpus.ts';
import type { Metric } from '../../evaluate/metric.ts';
import { deriveSeed, Rng } from '../../util/random.ts';
import { shuffleSplit, stratifiedSplit } from '../split.ts';
import type { PromptOptProtocol, Task, TaskLoadOptions, TaskRetrieval, TaskSplits } from '../task.ts';
import { loadDefinitionExamples } from './dataset.ts';
import { TaskDefinitionError } from './errors.ts';
import { metricOf } from './metric.ts';
import { DeclarativeProgram, type RetrievalStep } from './program.ts';
import { declarativeSplitSizes } from './splits.ts';

export class DeclarativeTask implements Task {
  readonly name: string;
  readonly description: string;
  readonly metric: Metric;
  readonly protocol: PromptOptProtocol;
  readonly retrieval?: TaskRetrieval;
  /** The validated definition (defaults filled in) and the folder its paths are relative to: all a spec needs to rebuild the task. */
  readonly definition: TaskDefinition;
  readonly baseDir: string;
  private readonly retrievalStep: RetrievalStep | null;

  constructor(definition: TaskDefinition, baseDir: string) {
    this.definition = definition;
    this.baseDir = path.resolve(baseDir);
    this.name = definition.name;
    this.description = definition.description.trim() || defaultDescription(definition);
    this.metric = metricOf(definition.metric);
    this.protocol = { ...(definition.protocol ?? DEFAULT_DECLARATIVE_PROTOCOL) };
    const retriever = definition.retriever;
    this.retrievalStep = retriever ? { k: retriever.k, queryField: retriever.queryField ?? definition.inputs[0]!.name } : null;
    if (retriever) this.retrieval = this.retrievalDefault(retriever.corpus, retriever.index);
  }

  /** The dataset file: `dataPath` when given, else the definition's file against baseDir. */
  datasetFile(dataPath?: string | null): string {
    return dataPath ? path.resolve(dataPath) : path.resolve(this.baseDir, this.definition.dataset.file);
  }

  createProgram(): DeclarativeProgram {
    return new DeclarativeProgram(planStages(this.definition).stages, this.retrievalStep);
  }

  async load(options: TaskLoadOptions): Promise<TaskSplits> {
    const file = this.datasetFile(options.dataPath);
    const examples = await loadDefinitionExamples(this.definition, file);
    const { dataset } = this.definition;
    const sizes = declarativeSplitSizes(dataset.splits, examples.length, file);
    const rng = new Rng(deriveSeed(options.seed, 'declarative', this.name, 'split'));
    const stratifyBy = dataset.stratifyBy;
    const splits =
      stratifyBy === undefined
        ? shuffleSplit(examples, sizes, rng)
        : stratifiedSplit(examples, (ex) => String(ex.inputs[stratifyBy] ?? ex.labels[stratifyBy] ?? ''), sizes, rng);
    const used = sizes.train + sizes.dev + sizes.test;
    const warnings = used < examples.length ? [`${this.name}: ${examples.length - used} of the ${examples.length} examples are in no split (splits ${sizes.train}/${sizes.dev}/${sizes.test})`] : [];
    return { ...splits, warnings };
  }

  private retrievalDefault(corpus: string | undefined, index: string | undefined): TaskRetrieval {
    const corpusFile = corpus === undefined ? null : path.resolve(this.baseDir, corpus);
    const indexName = index ?? `${this.name}-${createHash('sha256').update(corpusFile ?? '').digest('hex').slice(0, 10)}`;
    return {
      defaultIndex: () => indexName,
      describe: () => (corpusFile ? `the passages of ${corpusFile}` : `the workspace index "${indexName}"`),
      corpus: async (): Promise<Passage[]> => {
        if (corpusFile === null) {
          throw new DatasetError(`task "${this.name}" searches the workspace index "${indexName}", which does not exist; build it first (tandem index build)`, { file: indexName });
        }
        return readPassageCorpus(corpusFile);
      },
    };
  }
}

function defaultDescription(definition: TaskDefinition): string {
  const names = (fields: TaskDefinition['inputs']) => fields.map((f) => f.name).join(', ');
  const stages = definition.stages?.length ?? 1;
  return `${names(definition.inputs)} → ${names(definition.outputs)} in ${stages} stage${stages === 1 ? '' : 's'}${definition.retriever ? ' after retrieval' : ''}, scored by ${definition.metric.kind} on ${definition.metric.field}`;
}

/**
 * A definition (as read from a file, or as a run's spec saved it) compiled into a Task; relative
 * paths are resolved against `baseDir`. Checked against the schema again, so a hand-edited spec
 * fails here with the field's path rather than later.
 */
export function compileDeclarativeTask(definition: TaskDefinitionInput | TaskDefinition, baseDir: string): DeclarativeTask {
  const result = TaskDefinitionSchema.safeParse(definition, { reportInput: true });
  if (!result.success) {
    const name = typeof (definition as { name?: unknown }).name === 'string' ? (definition as { name: string }).name : 'unnamed';
    throw new TaskDefinitionError(`task definition "${name}"`, issuesOf(result.error));
  }
  return new DeclarativeTask(result.data, baseDir);
}
