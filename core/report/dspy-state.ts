// A program state in DSPy's saved-program JSON, and back: the file `dspy.Module.save(path)` writes
// and `dspy.Module.load(path)` reads (dspy/primitives/module.py and dspy/predict/predict.py).
// That file maps each predictor's path (`generate_query[0]`, as DSPy's `named_parameters` names
// list items) to `{traces, train, demos, signature: {instructions, fields: [{prefix, description}]},
// lm}`, plus `metadata.dependency_versions`, which `load` reads before anything else. A demo is a
// dict of field values; a bootstrapped one carries `"augmented": true`. Signature fields are
// listed inputs first, then outputs, and matched by position (DSPy saves no field names), so an
// import takes the field names from the Tandem program and the instructions, descriptions and
// demos from the file. A DSPy ChainOfThought keeps its Predict one level down
// (`generate_answer.predict`); that path is read as Tandem's `generate_answer`.

import type { Demo, FieldValue, PredictorState, ProgramState, SignatureField } from '../contract/views/program.ts';

export interface DspySignatureState {
  instructions: string;
  fields: Array<{ prefix: string; description: string }>;
}

export interface DspyPredictorState {
  traces: unknown[];
  train: unknown[];
  demos: Array<Record<string, unknown>>;
  signature: DspySignatureState;
  lm: null;
}

/** What `dspy.Module.save(path)` writes for a program: one entry per predictor path, and `metadata`. */
export type DspyProgramJson = Record<string, DspyPredictorState> & { metadata?: { dependency_versions: Record<string, string> } };

export class DspyStateError extends Error {
  override name = 'DspyStateError';
}

/** DSPy's prefix for a field it named itself: `question` → `Question:`, `generate_query` → `Generate Query:`. */
export function dspyPrefix(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return `${words.join(' ')}:`;
}

/** DSPy's description of a field given none: `${name}`. */
function defaultDescription(name: string): string {
  return `\${${name}}`;
}

/** The program state as the JSON `dspy.Module.load()` reads; `lm` is always null (DSPy binds its own). */
export function programStateToDspy(state: ProgramState): DspyProgramJson {
  const out: Record<string, unknown> = {};
  for (const [path, predictor] of Object.entries(state.predictors)) {
    const { signature } = predictor;
    const fields = [...signature.inputs, ...signature.outputs].map((f) => ({
      prefix: dspyPrefix(f.name),
      description: f.description.trim() || defaultDescription(f.name),
    }));
    out[path] = {
      traces: [],
      train: [],
      demos: predictor.demos.map((d) => ({ ...d.fields, ...(d.augmented ? { augmented: true } : {}) })),
      signature: { instructions: signature.instructions, fields },
      lm: null,
    } satisfies DspyPredictorState;
  }
  // `load` reads metadata.dependency_versions and warns per differing entry; none are claimed.
  out.metadata = { dependency_versions: {} };
  return out as DspyProgramJson;
}

/** The JSON text of programStateToDspy, as a file. */
export function dspyJsonText(state: ProgramState): string {
  return `${JSON.stringify(programStateToDspy(state), null, 2)}\n`;
}

/**
 * A DSPy saved program (parsed JSON) as a state of the Tandem program whose saved state is `base`
 * (same predictor paths, same number of fields per predictor): instructions, field descriptions
 * and demos come from the file; field names and LM bindings from `base`. `where` names the file in errors.
 */
export function dspyToProgramState(json: unknown, base: ProgramState, where = 'the DSPy program'): ProgramState {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new DspyStateError(`${where} must be a JSON object of predictor paths (what dspy.Module.save writes)`);
  const entries = new Map<string, unknown>();
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (key === 'metadata') continue;
    const path = key.endsWith('.predict') && !(key in base.predictors) ? key.slice(0, -'.predict'.length) : key;
    if (entries.has(path)) throw new DspyStateError(`${where} has predictor "${path}" twice`);
    entries.set(path, value);
  }
  const expected = Object.keys(base.predictors).sort();
  const given = [...entries.keys()].sort();
  if (expected.join('\n') !== given.join('\n')) {
    const missing = expected.filter((p) => !entries.has(p));
    const extra = given.filter((p) => !(p in base.predictors));
    const parts = [missing.length > 0 ? `lacks [${missing.join(', ')}]` : '', extra.length > 0 ? `has [${extra.join(', ')}], which the program does not` : ''].filter(Boolean);
    throw new DspyStateError(`${where} does not fit the task's program: it ${parts.join(' and ')} (the program's predictors are [${expected.join(', ')}])`);
  }
  const predictors: Record<string, PredictorState> = {};
  for (const path of Object.keys(base.predictors)) {
    predictors[path] = predictorFromDspy(entries.get(path), base.predictors[path]!, `${where}, predictor "${path}"`);
  }
  return { version: base.version, predictors };
}

function predictorFromDspy(value: unknown, base: PredictorState, where: string): PredictorState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DspyStateError(`${where}: must be an object with "demos" and "signature"`);
  const entry = value as Partial<Record<keyof DspyPredictorState, unknown>>;
  const signature = entry.signature as Partial<DspySignatureState> | undefined;
  if (typeof signature !== 'object' || signature === null) throw new DspyStateError(`${where}: "signature" must be an object with "instructions" and "fields"`);
  if (typeof signature.instructions !== 'string') throw new DspyStateError(`${where}: "signature.instructions" must be a string`);
  if (!Array.isArray(signature.fields)) throw new DspyStateError(`${where}: "signature.fields" must be a list of {prefix, description}`);
  const names = [...base.signature.inputs, ...base.signature.outputs];
  if (signature.fields.length !== names.length) {
    throw new DspyStateError(
      `${where}: the signature has ${signature.fields.length} fields, the program's has ${names.length} (${names.map((f) => f.name).join(', ')}); DSPy matches fields by position`,
    );
  }
  const described: SignatureField[] = names.map((field, i) => {
    const saved = signature.fields![i] as { description?: unknown } | null;
    if (typeof saved !== 'object' || saved === null || typeof saved.description !== 'string') {
      throw new DspyStateError(`${where}: "signature.fields[${i}].description" must be a string`);
    }
    // `${name}` is DSPy's placeholder for "no description" (under DSPy's own field name, which may differ).
    const description = /^\$\{[^}]*\}$/.test(saved.description.trim()) ? '' : saved.description;
    return { name: field.name, description };
  });
  const inputs = described.slice(0, base.signature.inputs.length);
  const outputs = described.slice(base.signature.inputs.length);
  const demos = entry.demos ?? [];
  if (!Array.isArray(demos)) throw new DspyStateError(`${where}: "demos" must be a list`);
  const known = new Set(names.map((f) => f.name));
  return {
    signature: { inputs, outputs, instructions: signature.instructions },
    demos: demos.map((demo, i) => demoFromDspy(demo, known, `${where}, demos[${i}]`)),
    lm: base.lm,
  };
}

/**
 * Fields whose DSPy prefix does not name the program's field at that position (DSPy matches by
 * position, so the file loads; the names may still tell of a different signature), e.g.
 * `generate_answer field 3: "Rationale:" in the file, "reasoning" in the program`.
 */
export function dspyFieldMismatches(json: unknown, base: ProgramState): string[] {
  const notes: string[] = [];
  if (typeof json !== 'object' || json === null) return notes;
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const path = key.endsWith('.predict') && !(key in base.predictors) ? key.slice(0, -'.predict'.length) : key;
    const predictor = base.predictors[path];
    const fields = (value as { signature?: { fields?: unknown } } | null)?.signature?.fields;
    if (!predictor || !Array.isArray(fields)) continue;
    const names = [...predictor.signature.inputs, ...predictor.signature.outputs].map((f) => f.name);
    fields.forEach((f: unknown, i) => {
      const prefix = typeof (f as { prefix?: unknown } | null)?.prefix === 'string' ? (f as { prefix: string }).prefix : '';
      const name = names[i];
      if (name === undefined || prefix === '') return;
      const head = squash(prefix.split(':')[0]!);
      if (head !== squash(name)) notes.push(`${path} field ${i + 1}: "${prefix}" in the file, "${name}" in the program`);
    });
  }
  return notes;
}

function demoFromDspy(value: unknown, known: ReadonlySet<string>, where: string): Demo {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DspyStateError(`${where}: a demo must be an object of field values`);
  const fields: Record<string, FieldValue> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!known.has(key)) continue; // `augmented` and DSPy's bookkeeping keys (e.g. dspy_uuid)
    fields[key] = fieldValue(v);
  }
  if (Object.keys(fields).length === 0) throw new DspyStateError(`${where}: the demo has none of the signature's fields (${[...known].join(', ')})`);
  return { fields, augmented: (value as { augmented?: unknown }).augmented === true, exampleId: null };
}

function fieldValue(value: unknown): FieldValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return JSON.stringify(value);
}
