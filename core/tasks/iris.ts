// Iris: classify a flower into one of three species from four measurements. 150 examples,
// split 50/50/50 (train/dev/test) as in the paper, stratified by species.

import { csvNumber, csvString, DatasetError, readCsv, requireColumns } from '../datasets/index.ts';
import { canonicalSpecies, IRIS_SPECIES, SpeciesMatch } from '../evaluate/metrics/species-match.ts';
import { ChainOfThought } from '../program/chain-of-thought.ts';
import type { CallContext } from '../program/context.ts';
import { example, type Example, type FieldValue, type Prediction } from '../program/example.ts';
import { Module } from '../program/module.ts';
import { signature, type Signature } from '../program/signature.ts';
import { deriveSeed, Rng } from '../util/random.ts';
import { bundledDatasetPath } from '../util/resources-path.ts';
import { stratifiedSplit, thirds } from './split.ts';
import type { Task, TaskLoadOptions, TaskSplits } from './task.ts';

export const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;

export function irisSignature(): Signature {
  return signature()
    .input('sepal_length', 'Sepal length of the flower, in cm.')
    .input('sepal_width', 'Sepal width of the flower, in cm.')
    .input('petal_length', 'Petal length of the flower, in cm.')
    .input('petal_width', 'Petal width of the flower, in cm.')
    .output('species', `The species of the flower: exactly one of ${IRIS_SPECIES.join(', ')}.`)
    .instructions(
      'Given the sepal and petal measurements of an iris flower, decide which species it belongs to: ' +
        'setosa, versicolor, or virginica.',
    )
    .build();
}

/** One chain-of-thought predictor: four measurements -> reasoning, species. */
export class IrisProgram extends Module {
  predict = new ChainOfThought(irisSignature());

  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    return this.predict.forward(inputs, ctx);
  }
}

/** Reads an Iris CSV (header with the four features and `species`) into examples `iris-NNN`. */
export async function loadIrisExamples(file: string): Promise<Example[]> {
  const table = await readCsv(file);
  requireColumns(table, [...IRIS_FEATURES, 'species']);
  const width = Math.max(3, String(Math.max(0, table.rows.length - 1)).length);
  return table.rows.map((row, index) => {
    const inputs: Record<string, FieldValue> = {};
    for (const feature of IRIS_FEATURES) inputs[feature] = csvNumber(table, row, feature);
    const named = csvString(table, row, 'species');
    const species = canonicalSpecies(named);
    if (species === null) {
      throw new DatasetError(`unknown species ${JSON.stringify(named)}; expected one of ${IRIS_SPECIES.join(', ')}`, {
        file,
        line: row.line,
        column: table.header.indexOf('species') + 1,
        field: 'species',
      });
    }
    return example(`iris-${String(index).padStart(width, '0')}`, inputs, { species });
  });
}

export class IrisTask implements Task {
  readonly name = 'iris';
  readonly description =
    "Fisher's Iris: classify a flower as setosa, versicolor or virginica from four measurements (150 examples, 50/50/50).";
  readonly metric = new SpeciesMatch();
  readonly protocol = { train: 15, val: 35 };

  createProgram(): IrisProgram {
    return new IrisProgram();
  }

  /**
   * Splits into equal thirds (50/50/50 for the 150 bundled rows; a larger or smaller `dataPath`
   * CSV is split in thirds too), stratified by species, seeded from `seed`.
   */
  async load(options: TaskLoadOptions): Promise<TaskSplits> {
    const file = options.dataPath ?? bundledDatasetPath('iris', 'iris.csv');
    const examples = await loadIrisExamples(file);
    if (examples.length < 3) {
      throw new DatasetError(`found ${examples.length} example(s); Iris needs at least 3 to split into train/dev/test`, { file });
    }
    const rng = new Rng(deriveSeed(options.seed, 'iris', 'split'));
    return stratifiedSplit(examples, (ex) => String(ex.labels.species), thirds(examples.length), rng);
  }
}

export const irisTask = new IrisTask();
