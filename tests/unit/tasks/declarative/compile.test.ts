// Compiling a definition into a Task and loading its dataset: CSV and JSONL files written here,
// columns mapped, seeded splits (reproducible, stratified on request), and errors that name the
// file, the line and the column.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../core/datasets/errors.ts';
import { compileDeclarativeTask, loadDeclarativeTask, previewDeclarativeTask, TaskDefinitionError } from '../../../../core/tasks/declarative/index.ts';
import { minimalDefinition, reviewsCsv, tempFolder, type TempFolder } from './helpers.ts';

let folder: TempFolder;
beforeAll(async () => {
  folder = await tempFolder();
  await folder.write('reviews.csv', reviewsCsv(30));
});
afterAll(() => folder.cleanup());

const mapped = minimalDefinition({ dataset: { file: 'reviews.csv', idColumn: 'id', columns: { review: 'text', sentiment: 'label' } } });
const ids = (examples: ReadonlyArray<{ id: string }>) => examples.map((e) => e.id);

async function loadError(definition: Parameters<typeof compileDeclarativeTask>[0]): Promise<DatasetError> {
  const error = await compileDeclarativeTask(definition, folder.dir)
    .load({ seed: 0 })
    .then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('compiling and loading a no-code task', () => {
  it('compiles name, description, metric, protocol and a one-stage program', () => {
    const task = compileDeclarativeTask(mapped, folder.dir);
    expect(task.name).toBe('reviews');
    expect(task.description).toBe('review → sentiment in 1 stage, scored by label on sentiment');
    expect(task.metric.name).toBe('label_match');
    expect(task.protocol).toEqual({ train: 100, val: 250 });
    expect(task.retrieval).toBeUndefined();
    const program = task.createProgram();
    expect(program.namedPredictors().map(([p, pred]) => [p, pred.signature.toString()])).toEqual([['stages[0]', 'review -> reasoning, sentiment']]);
    expect(task.datasetFile()).toBe(path.join(folder.dir, 'reviews.csv'));
  });

  it('loads a CSV through the column mapping into thirds, the same for the same seed', async () => {
    const task = compileDeclarativeTask(mapped, folder.dir);
    const a = await task.load({ seed: 1 });
    const b = await task.load({ seed: 1 });
    const c = await task.load({ seed: 2 });
    expect([a.train.length, a.dev.length, a.test.length]).toEqual([10, 10, 10]);
    expect(ids(a.train)).toEqual(ids(b.train));
    expect(ids(a.test)).toEqual(ids(b.test));
    expect(ids(a.train)).not.toEqual(ids(c.train));
    expect(new Set(ids([...a.train, ...a.dev, ...a.test])).size).toBe(30);
    expect(a.warnings).toEqual([]);
    const r4 = [...a.train, ...a.dev, ...a.test].find((e) => e.id === 'r4')!;
    expect(r4).toEqual({ id: 'r4', inputs: { review: 'Review number 4, quite negative' }, labels: { sentiment: 'negative' } });
  });

  it('stratifies on request: each split holds the labels in equal shares', async () => {
    const task = compileDeclarativeTask({ ...mapped, dataset: { ...mapped.dataset, stratifyBy: 'sentiment' } }, folder.dir);
    const splits = await task.load({ seed: 5 });
    for (const split of [splits.train, splits.dev, splits.test]) {
      const counts: Record<string, number> = {};
      for (const e of split) counts[String(e.labels.sentiment)] = (counts[String(e.labels.sentiment)] ?? 0) + 1;
      expect(Object.values(counts).sort()).toEqual([3, 3, 4]);
    }
  });

  it('takes sizes or fractions, says what is left out, and refuses splits the file cannot fill', async () => {
    const sized = compileDeclarativeTask({ ...mapped, dataset: { ...mapped.dataset, splits: { train: 12, dev: 6, test: 6 } } }, folder.dir);
    const s = await sized.load({ seed: 0 });
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([12, 6, 6]);
    expect(s.warnings).toEqual(['reviews: 6 of the 30 examples are in no split (splits 12/6/6)']);
    const fractions = compileDeclarativeTask({ ...mapped, dataset: { ...mapped.dataset, splits: { train: 0.5, dev: 0.3, test: 0.2 } } }, folder.dir);
    const f = await fractions.load({ seed: 0 });
    expect([f.train.length, f.dev.length, f.test.length]).toEqual([15, 9, 6]);
    const tooMany = await loadError({ ...mapped, dataset: { ...mapped.dataset, splits: { train: 20, dev: 10, test: 10 } } });
    expect(tooMany.message).toBe(`${path.join(folder.dir, 'reviews.csv')}: the splits ask for 40 examples (20/10/10), but the file has 30`);
  });

  it('names every missing column, its field and the header in one error', async () => {
    const error = await loadError({ ...mapped, dataset: { file: 'reviews.csv', idColumn: 'key', columns: { review: 'body', sentiment: 'label' } } });
    expect(error.message).toBe(
      `${path.join(folder.dir, 'reviews.csv')}, line 1: missing columns "body" (for field "review"), "key" (the id column): the header row has id, text, label`,
    );
    const identity = await loadError(minimalDefinition());
    expect(identity.message).toMatch(/line 1: missing columns "review", "sentiment": the header row has id, text, label$/);
  });

  it('reports a bad gold value and a duplicate id at their line and column', async () => {
    await folder.write('bad-label.csv', 'id,text,label\na,fine,positive\nb,meh,so-so\n');
    const label = await loadError({ ...mapped, dataset: { ...mapped.dataset, file: 'bad-label.csv' } });
    expect(label.message).toBe(`${path.join(folder.dir, 'bad-label.csv')}, line 3, column 3 (field "label"): "so-so" is not one of the labels positive, negative, neutral`);
    await folder.write('dup.csv', 'id,text,label\na,fine,positive\na,meh,neutral\n');
    const dup = await loadError({ ...mapped, dataset: { ...mapped.dataset, file: 'dup.csv' } });
    expect(dup.message).toMatch(/dup\.csv, line 3, column 1 \(field "id"\): id "a" was already used on line 2$/);
    await folder.write('broken.csv', 'id,text,label\na,"fine,positive\n');
    expect((await loadError({ ...mapped, dataset: { ...mapped.dataset, file: 'broken.csv' } })).message).toMatch(/broken\.csv, line 2, column 3: unterminated quoted field/);
  });

  it('loads JSONL: keys mapped, lists of acceptable answers, numbers kept, ids from a key', async () => {
    const lines = Array.from({ length: 9 }, (_, i) =>
      JSON.stringify({ qid: 100 + i, q: `What is ${i} + 1?`, answers: i % 2 === 0 ? [String(i + 1), `${i + 1}.0`] : String(i + 1), weight: i }),
    );
    await folder.write('qa.jsonl', `${lines.join('\n')}\n`);
    const definition = {
      name: 'add-one',
      dataset: { file: 'qa.jsonl', idColumn: 'qid', columns: { question: 'q', answer: 'answers' } },
      inputs: [{ name: 'question' }, { name: 'weight' }],
      outputs: [{ name: 'answer' }],
      metric: { kind: 'numeric' as const, field: 'answer', tolerance: 0 },
      stages: [{ kind: 'predict' as const }],
    };
    const task = compileDeclarativeTask(definition, folder.dir);
    const splits = await task.load({ seed: 0 });
    const all = [...splits.train, ...splits.dev, ...splits.test];
    expect(all.find((e) => e.id === '102')).toEqual({ id: '102', inputs: { question: 'What is 2 + 1?', weight: 2 }, labels: { answer: ['3', '3.0'] } });
    expect(task.metric.score(all.find((e) => e.id === '102')!, { answer: 'It is 3' })).toBe(1);
    expect(task.createProgram().namedPredictors()[0]![1].signature.toString()).toBe('question, weight -> answer');

    await folder.write('qa-missing.jsonl', `${JSON.stringify({ qid: 1, q: 'x' })}\n`);
    const missing = await loadError({ ...definition, dataset: { ...definition.dataset, file: 'qa-missing.jsonl' } });
    expect(missing.message).toBe(`${path.join(folder.dir, 'qa-missing.jsonl')}, line 1: missing columns "weight", "answers" (for field "answer"): the first record has qid, q`);
    await folder.write('qa-later.jsonl', `${lines[0]}\n\n${JSON.stringify({ qid: 1, q: 'x', weight: 1 })}\n`);
    expect((await loadError({ ...definition, dataset: { ...definition.dataset, file: 'qa-later.jsonl' } })).message).toMatch(
      /qa-later\.jsonl, line 3 \(field "answers"\): missing field "answers" \(the record has qid, q, weight\)$/,
    );
    await folder.write('qa-bad.jsonl', `${lines[0]}\n{"qid": 2, "q": "x", "answers": "n/a", "weight": 1}\n`);
    expect((await loadError({ ...definition, dataset: { ...definition.dataset, file: 'qa-bad.jsonl' } })).message).toMatch(
      /qa-bad\.jsonl, line 2 \(field "answers"\): gold answer "n\/a" is not a number$/,
    );
  });

  it('reads another file of the same shape when the run gives a data path', async () => {
    const other = await folder.write('more.csv', reviewsCsv(9));
    const splits = await compileDeclarativeTask(mapped, folder.dir).load({ seed: 0, dataPath: other });
    expect(splits.train.length + splits.dev.length + splits.test.length).toBe(9);
  });

  it('loads a definition file in one call, and checks a definition given as data (a saved spec)', async () => {
    await folder.write('task.json', JSON.stringify(mapped));
    const task = await loadDeclarativeTask(path.join(folder.dir, 'task.json'));
    expect(task.definition).toEqual(compileDeclarativeTask(mapped, folder.dir).definition);
    expect(task.baseDir).toBe(folder.dir);
    expect(() => compileDeclarativeTask({ ...mapped, metric: { kind: 'exact', field: 'nope' } }, folder.dir)).toThrow(TaskDefinitionError);
    expect(() => compileDeclarativeTask({ ...mapped, metric: { kind: 'exact', field: 'nope' } }, folder.dir)).toThrow(
      'task definition "reviews": (metric.field): "nope" is not an output field (outputs: sentiment)',
    );
  });
});

describe('previewing a no-code task', () => {
  it('shows the first rows as loaded, the total, the stages and the first stage\'s rendered prompt', async () => {
    const task = compileDeclarativeTask({ ...mapped, instructions: 'Say how the reviewer feels.', retriever: { index: 'wiki' } }, folder.dir);
    const preview = await previewDeclarativeTask(task, { rows: 2 });
    expect(preview.total).toBe(30);
    expect(ids(preview.examples)).toEqual(['r0', 'r1']);
    expect(preview.stages.map((s) => s.inputs.map((f) => f.name))).toEqual([['review', 'context']]);
    const text = preview.prompt.map((m) => m.content).join('\n');
    expect(preview.prompt[0]!.role).toBe('system');
    expect(text).toContain('Say how the reviewer feels.');
    expect(text).toContain('Review number 0, quite positive');
    expect(text).toContain('(context: filled in at run time)');
  });
});
