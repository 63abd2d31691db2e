// DSPy's saved-program JSON (what dspy.Module.save writes and dspy.Module.load reads) against the
// fixtures written from DSPy's documentation (tests/fixtures/interop/README.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadState, saveState } from '../../../core/program/state.ts';
import { dspyFieldMismatches, dspyPrefix, dspyToProgramState, DspyStateError, programStateToDspy } from '../../../core/report/dspy-state.ts';
import { getTask } from '../../../core/tasks/registry.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/interop');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as Record<string, unknown>;
const baseOf = (task: string) => saveState(getTask(task).createProgram());

describe('DSPy import', () => {
  it('reads a saved ChainOfThought program into the task program: instructions, descriptions, demos with augmented', () => {
    const state = dspyToProgramState(fixture('dspy-iris-program.json'), baseOf('iris'));
    const predict = state.predictors.predict!;
    expect(predict.signature.instructions).toBe('Classify the iris from its four measurements. Answer with the species name only.');
    expect(predict.signature.inputs.map((f) => [f.name, f.description])).toEqual([
      ['sepal_length', 'sepal length in centimetres'],
      ['sepal_width', 'sepal width in centimetres'],
      ['petal_length', ''],
      ['petal_width', ''],
    ]);
    expect(predict.signature.outputs.map((f) => [f.name, f.description])).toEqual([
      ['reasoning', ''],
      ['species', 'one of setosa, versicolor, virginica'],
    ]);
    expect(predict.demos).toEqual([
      { fields: { sepal_length: 6.4, sepal_width: 3.2, petal_length: 4.5, petal_width: 1.5, reasoning: 'Petals of 4.5 cm by 1.5 cm are mid-sized: too large for setosa, too small for virginica.', species: 'versicolor' }, augmented: true, exampleId: null },
      { fields: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2, species: 'setosa' }, augmented: false, exampleId: null },
    ]);
    expect(predict.lm).toBeNull();
    // The imported state loads into the task's program as any saved state does.
    const program = loadState(getTask('iris').createProgram(), state);
    expect(program.predictors()[0]!.demos).toHaveLength(2);
  });

  it('reads a multi-predictor program with list paths and list-valued fields', () => {
    const state = dspyToProgramState(fixture('dspy-hotpotqa-program.json'), baseOf('hotpotqa'));
    expect(Object.keys(state.predictors).sort()).toEqual(['generate_answer', 'generate_query[0]', 'generate_query[1]']);
    expect(state.predictors['generate_query[0]']!.demos[0]!.fields.context).toEqual([]);
    expect(state.predictors['generate_query[1]']!.demos).toEqual([]);
    expect(state.predictors.generate_answer!.signature.outputs.at(-1)).toEqual({ name: 'answer', description: 'often between 1 and 5 words' });
  });

  it('refuses a program whose predictor paths differ, naming the paths', () => {
    expect(() => dspyToProgramState(fixture('dspy-iris-program.json'), baseOf('hotpotqa'), 'iris.json')).toThrow(
      new DspyStateError('iris.json does not fit the task\'s program: it lacks [generate_answer, generate_query[0], generate_query[1]] and has [predict], which the program does not (the program\'s predictors are [generate_answer, generate_query[0], generate_query[1]])'),
    );
  });

  it("reads DSPy's `${name}` placeholder as no description, and names fields whose prefix names another field", () => {
    const json = fixture('dspy-iris-program.json');
    const fields = (json['predict.predict'] as { signature: { fields: Array<{ prefix: string; description: string }> } }).signature.fields;
    fields[5] = { prefix: 'Label:', description: '${label}' };
    const state = dspyToProgramState(json, baseOf('iris'));
    expect(state.predictors.predict!.signature.outputs[1]).toEqual({ name: 'species', description: '' });
    // The fixture's own prefixes (Reasoning: Let's think step by step…) name their fields.
    expect(dspyFieldMismatches(fixture('dspy-iris-program.json'), baseOf('iris'))).toEqual([]);
    expect(dspyFieldMismatches(json, baseOf('iris'))).toEqual(['predict field 6: "Label:" in the file, "species" in the program']);
  });

  it('refuses a signature with another number of fields, and malformed entries, in one line each', () => {
    const json = fixture('dspy-iris-program.json');
    const entry = json['predict.predict'] as { signature: { fields: unknown[] }; demos: unknown };
    entry.signature.fields.pop();
    expect(() => dspyToProgramState(json, baseOf('iris'), 'p.json')).toThrow(/^p\.json, predictor "predict": the signature has 5 fields, the program's has 6 \(sepal_length, sepal_width, petal_length, petal_width, reasoning, species\)/);
    expect(() => dspyToProgramState([], baseOf('iris'), 'p.json')).toThrow('p.json must be a JSON object of predictor paths');
    expect(() => dspyToProgramState({ predict: { demos: [], signature: { fields: [] } } }, baseOf('iris'), 'p.json')).toThrow('p.json, predictor "predict": "signature.instructions" must be a string');
  });
});

describe('DSPy export', () => {
  it('writes the documented keys: per predictor traces, train, demos, signature {instructions, fields [{prefix, description}]}, lm null; metadata.dependency_versions', () => {
    const documented = fixture('dspy-iris-program.json');
    const exported = programStateToDspy(dspyToProgramState(documented, baseOf('iris'))) as Record<string, unknown>;
    expect(Object.keys(exported).sort()).toEqual(['metadata', 'predict']);
    const ours = exported.predict as Record<string, unknown>;
    const theirs = documented['predict.predict'] as Record<string, unknown>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    expect(Object.keys(ours.signature as object).sort()).toEqual(Object.keys(theirs.signature as object).sort());
    const fields = (ours.signature as { fields: Array<Record<string, unknown>> }).fields;
    for (const f of fields) expect(Object.keys(f).sort()).toEqual(['description', 'prefix']);
    expect(fields.map((f) => f.prefix)).toEqual(['Sepal Length:', 'Sepal Width:', 'Petal Length:', 'Petal Width:', 'Reasoning:', 'Species:']);
    expect(ours.lm).toBeNull();
    expect(ours.traces).toEqual([]);
    expect(ours.train).toEqual([]);
    expect(Object.keys((exported.metadata as Record<string, unknown>).dependency_versions as object)).toEqual([]);
  });

  it('round-trips DSPy → Tandem → DSPy: demos (augmented kept), instructions and descriptions as in the file', () => {
    const documented = fixture('dspy-hotpotqa-program.json');
    const exported = programStateToDspy(dspyToProgramState(documented, baseOf('hotpotqa'))) as Record<string, unknown>;
    for (const p of ['generate_query[0]', 'generate_query[1]', 'generate_answer']) {
      const ours = exported[p] as { demos: unknown; signature: { instructions: string; fields: Array<{ description: string }> } };
      const theirs = documented[p] as typeof ours;
      expect(ours.demos).toEqual(theirs.demos);
      expect(ours.signature.instructions).toBe(theirs.signature.instructions);
      expect(ours.signature.fields.map((f) => f.description)).toEqual(theirs.signature.fields.map((f) => f.description));
    }
    // …and Tandem → DSPy → Tandem gives the same state back.
    const state = dspyToProgramState(documented, baseOf('hotpotqa'));
    expect(dspyToProgramState(JSON.parse(JSON.stringify(exported)), baseOf('hotpotqa'))).toEqual(state);
  });

  it('names prefixes as DSPy infers them from field names', () => {
    expect(dspyPrefix('question')).toBe('Question:');
    expect(dspyPrefix('search_query')).toBe('Search Query:');
    expect(dspyPrefix('sepalLength')).toBe('Sepal Length:');
  });
});
