// The demo model's training corpus: synthetic episodes rendered with the real ChatAdapter, so the
// model sees exactly the prompts the core sends (system message listing fields and instructions,
// `[[ ## field ## ]]` sections, demos as user/assistant turns, the completion marker).
//
// Tasks (all synthetic; no Iris rows, GSM8K problems or HotPotQA questions):
//   recite    repeat a long text, always with 2-4 demos   (curriculum: dense copying, forms induction)
//   copy      repeat an input field                       (curriculum: copying from context)
//   lookup    key-value lookup in a table                 (curriculum: exact copying by key)
//   compare   larger/smaller of two numbers, max/min of a list
//   rule      classify a record by a threshold rule stated in the instructions
//   classify  classify numeric records into classes named in the instructions and/or only in demos
//   arith     short arithmetic word problems with step-by-step reasoning
//   qa        answer a question from retrieved passages (made-up entities)
// Every episode is seeded: episode i of task t under seed s is always the same.

import { ChatAdapter } from '../../core/adapter/chat-adapter.ts';
import type { ChatMessage } from '../../core/contract/views/program.ts';
import { REASONING_FIELD } from '../../core/program/chain-of-thought.ts';
import type { Demo } from '../../core/program/demo.ts';
import type { FieldValue } from '../../core/program/example.ts';
import { Signature, type Field, type SignatureSpec } from '../../core/program/signature.ts';
import { deriveSeed, Rng } from '../../core/util/random.ts';

export const TASKS = ['recite', 'copy', 'lookup', 'compare', 'rule', 'classify', 'arith', 'qa'] as const;
export type TaskName = (typeof TASKS)[number];

export interface Episode {
  task: TaskName;
  /** The full conversation: the adapter's prompt plus the final assistant turn. */
  messages: ChatMessage[];
  /** The signature the episode was rendered with. */
  signature: SignatureSpec;
  /** The expected output fields of the final turn (for evaluation). */
  answer: Record<string, string>;
  /** Numeric records shown (classification-like tasks), for the leakage check. */
  records?: number[][];
  /** The question text (arith / qa), for the leakage check. */
  question?: string;
}

/** Rows the generator must never produce (e.g. Iris rows): a record with 4 consecutive values within `tol` of one is rejected. */
export interface Exclusions {
  records4: number[][];
  tol: number;
}

const adapter = new ChatAdapter();

// ---------- small helpers ----------

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;
const chance = (rng: Rng, p: number) => rng.next() < p;
const round1 = (x: number) => Math.round(x * 10) / 10;

const ONSETS = ['b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'dr', 'gl', 'kr', 'pl', 'st', 'tr', 'sh', 'ch', 'th'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'ai', 'ou', 'ea'];
const CODAS = ['', '', '', 'n', 'r', 's', 'l', 'm', 'x', 'nd', 'rt'];
const FORBIDDEN_NAMES = new Set(['setosa', 'versicolor', 'virginica', 'iris']);

/** `n` syllables; `innerCodas` adds a consonant inside the word (no draw at all without it). */
function syllables(rng: Rng, n: number, innerCodas?: readonly string[]): string {
  let w = '';
  for (let i = 0; i < n; i++) w += pick(rng, ONSETS) + pick(rng, VOWELS) + (i === n - 1 ? pick(rng, CODAS) : innerCodas ? pick(rng, innerCodas) : '');
  return w;
}

/** A pronounceable made-up word, e.g. "dravomi". */
export function pseudoWord(rng: Rng, minSyl = 2, maxSyl = 3): string {
  for (;;) {
    const w = syllables(rng, rng.int(minSyl, maxSyl));
    if (!FORBIDDEN_NAMES.has(w)) return w;
  }
}

const INNER_CODAS = ['', '', '', '', 'r', 'n', 's', 'l'];

/**
 * A class name: 2-4 syllables, sometimes with a consonant inside the word ("versalona"), so long
 * names of the shape real taxa have must be copied piece by piece from the prompt.
 */
export function className(rng: Rng): string {
  for (;;) {
    const w = syllables(rng, pick(rng, [2, 3, 3, 4]), INNER_CODAS);
    if (!FORBIDDEN_NAMES.has(w)) return w;
  }
}

// Letters the syllabic generators never use alone (c, j, w, y, qu, ...), so the tokenizer splits
// these names into unusual pieces, as it splits real words it was not trained on.
const WIDE_ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'y', 'z', 'qu', 'ph', 'gr', 'cl', 'sc', 'cr', 'fl', 'sp', 'bl', 'gn', 'x'];
const WIDE_VOWELS = ['a', 'e', 'i', 'o', 'u', 'y', 'ia', 'io', 'ae', 'ue', 'ei', 'au'];
const WIDE_INNER = ['', '', '', 'r', 'n', 's', 'l', 'c', 't', 'g', 'm', 'x'];
const WIDE_FINAL = ['', '', 'a', 'um', 'is', 'us', 'on', 'en', 'ax', 'ix', 'or', 'ar', 'el', 'it'];

/** Edit distance (for keeping generated names away from the Iris species). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}

const IRIS_WORDS = ['setosa', 'versicolor', 'virginica', 'iris', 'sepal', 'petal'];

/** True when a generated name is, contains, or is within 3 edits of an Iris species or field word. */
export function nearIrisWord(name: string): boolean {
  return IRIS_WORDS.some((w) => name.includes(w) || editDistance(name, w) <= 3);
}

/** A class name over the whole alphabet ("cyraelix", "quodium"): 2-3 syllables, Latin-like endings. */
export function wideName(rng: Rng): string {
  for (;;) {
    let w = '';
    const n = rng.int(2, 3);
    for (let i = 0; i < n; i++) w += pick(rng, WIDE_ONSETS) + pick(rng, WIDE_VOWELS) + (i < n - 1 ? pick(rng, WIDE_INNER) : '');
    w += pick(rng, WIDE_FINAL);
    if (w.length >= 4 && !nearIrisWord(w)) return w;
  }
}

/**
 * How class names are made:
 * - `pseudo`: 2-3 syllable pseudo-words (the shipped model's first stage);
 * - `taxon`: `className` (the GPU variant's corpus);
 * - `varied`: a third each of pseudo-words, taxon-like names and names over the whole alphabet,
 *   often sharing a first piece (the shipped model's second stage), so copying a name does not
 *   depend on how it is tokenized or stop at its first token.
 */
export type ClassNameStyle = 'pseudo' | 'taxon' | 'varied';
export const CLASS_NAME_STYLES: readonly ClassNameStyle[] = ['pseudo', 'taxon', 'varied'];

export interface CorpusOptions {
  classNames: ClassNameStyle;
  /** Chance that a class name, a copied word or a recited word is a string of random letters. */
  letterWords: number;
  /**
   * Pieces to build those strings from instead of single letters (a tokenizer's word pieces): a
   * byte-level BPE keeps intermediate merges (`ers`) that the corpus it was trained on never emits,
   * so without this such tokens are never seen, and a name containing one cannot be copied.
   */
  pieces?: readonly string[];
  /** Chance that a classify episode with the classes named in the prompt has no demos. */
  zeroShotClassify: number;
}

export const DEFAULT_CORPUS_OPTIONS: CorpusOptions = { classNames: 'pseudo', letterWords: 0, zeroShotClassify: 0.3 };

/**
 * 4-10 letters drawn uniformly from a-z ("qvirzol"), or 2-4 of `pieces` when given: the tokenizer
 * splits these into rare pieces, so only exact, token-by-token copying reproduces them (a fuzzy
 * copy lands on a frequent piece).
 */
export function letterString(rng: Rng, pieces?: readonly string[]): string {
  for (;;) {
    const w = pieces?.length
      ? Array.from({ length: rng.int(2, 4) }, () => pick(rng, pieces)).join('')
      : Array.from({ length: rng.int(4, 10) }, () => String.fromCharCode(97 + rng.int(0, 25))).join('');
    if (w.length >= 3 && !nearIrisWord(w)) return w;
  }
}

/** The lowercase word pieces of a tokenizer.json vocabulary (not those that begin a word after a space). */
export function wordPieces(tokenizerJson: { model?: { vocab?: Record<string, number> } }): string[] {
  return Object.keys(tokenizerJson.model?.vocab ?? {}).filter((p) => /^[a-z]{1,8}$/.test(p));
}

/** A word, or with chance `letterWords` a random letter string (no draw at all when it is 0). */
function wordOr(rng: Rng, opts: CorpusOptions, word: () => string): string {
  return opts.letterWords > 0 && chance(rng, opts.letterWords) ? letterString(rng, opts.pieces) : word();
}

/**
 * The class names of one episode. In the `varied` style 40% of episodes give two or more of their
 * classes a common first piece (`drav` in `dravomi, dravelus`), as real label sets often do, so
 * copying a name cannot stop at its first token: the model must keep track of which one it copies.
 */
function classNames(rng: Rng, k: number, opts: CorpusOptions): string[] {
  const style = opts.classNames;
  if (style !== 'varied' || !chance(rng, 0.4)) return distinctWords(rng, k, () => wordOr(rng, opts, () => makeClassName(rng, style)));
  const shared = rng.int(2, k);
  const prefix = pick(rng, WIDE_ONSETS) + (chance(rng, 0.5) ? pick(rng, WIDE_VOWELS) : '');
  const out = new Set<string>();
  while (out.size < shared) {
    const w = prefix + pick(rng, WIDE_VOWELS) + pick(rng, WIDE_INNER) + syllables(rng, rng.int(1, 2), INNER_CODAS);
    if (!nearIrisWord(w)) out.add(w);
  }
  while (out.size < k) out.add(wordOr(rng, opts, () => makeClassName(rng, style)));
  return rng.shuffle([...out]);
}

function makeClassName(rng: Rng, style: ClassNameStyle): string {
  if (style === 'pseudo') return pseudoWord(rng);
  if (style === 'taxon') return className(rng);
  const r = rng.next();
  for (;;) {
    const w = r < 1 / 3 ? pseudoWord(rng) : r < 2 / 3 ? className(rng) : wideName(rng);
    if (!nearIrisWord(w)) return w;
  }
}

function distinctWords(rng: Rng, k: number, make: () => string): string[] {
  const out = new Set<string>();
  while (out.size < k) out.add(make());
  return [...out];
}

/**
 * An output field's name: half the time one of the usual names, half the time a made-up one
 * (`dravo`, `kel_width`), so a model cannot write the header from memory and must copy it from the
 * prompt — as it must for a real task's fields (Iris's `species`).
 */
function fieldName(rng: Rng, usual: readonly string[]): string {
  if (chance(rng, 0.5)) return pick(rng, usual);
  const head = pseudoWord(rng, 1, 2);
  return chance(rng, 0.4) ? `${head}_${pick(rng, [pseudoWord(rng, 1, 2), ...MEASURES])}` : head;
}

function listWords(names: readonly string[], conj = 'or'): string {
  if (names.length === 1) return names[0]!;
  if (names.length === 2) return `${names[0]} ${conj} ${names[1]}`;
  return `${names.slice(0, -1).join(', ')}, ${conj} ${names.at(-1)}`;
}

function fmtNum(x: number, decimals: number): string {
  return x.toFixed(decimals);
}

interface Spec {
  inputs: Field[];
  outputs: Field[];
  instructions: string;
}

function makeSignature(spec: Spec, cot: boolean): Signature {
  const sig = new Signature(spec);
  return cot ? sig.prependOutput(REASONING_FIELD) : sig;
}

interface Row {
  inputs: Record<string, FieldValue>;
  outputs: Record<string, string>;
}

/** Renders demos + query with the real adapter; demos are augmented (full) or labeled (no reasoning). */
function render(sig: Signature, demos: Row[], query: Row, rng: Rng, pLabeled: number): { messages: ChatMessage[]; signature: SignatureSpec } {
  const cot = sig.outputNames.includes('reasoning');
  const ds: Demo[] = demos.map((d, i) => {
    const labeled = cot && chance(rng, pLabeled);
    const fields: Record<string, FieldValue> = { ...d.inputs };
    for (const [k, v] of Object.entries(d.outputs)) if (!(labeled && k === 'reasoning')) fields[k] = v;
    return { fields, augmented: !labeled, exampleId: `syn-${i}` };
  });
  return { messages: adapter.formatFinetuneRow(sig, ds, query.inputs, query.outputs).messages, signature: sig.toSpec() };
}

function demoCount(rng: Rng, max: number, pZero: number): number {
  return chance(rng, pZero) ? 0 : rng.int(1, max);
}

// ---------- copy ----------

const TEXT_FIELDS = ['text', 'word', 'code', 'name', 'phrase', 'token', 'tag', 'item', 'message', 'entry'];
const COPY_OUT = ['copy', 'echo', 'repeat', 'output', 'result', 'same'];

function randomValue(rng: Rng, opts: CorpusOptions): string {
  const r = rng.next();
  const word = () => wordOr(rng, opts, () => pseudoWord(rng, 1, 3));
  // Long values give many copy-supervised tokens per episode (the skill the model learns slowest):
  // the tokens after the first of a copied value are predictable only by copying.
  if (r < 0.3) return Array.from({ length: rng.int(8, 30) }, word).join(' ');
  if (r < 0.5) return distinctWords(rng, rng.int(1, 6), word).join(' ');
  if (r < 0.7) return fmtNum(rng.int(1, 99) / 10, 1);
  if (r < 0.85) return String(rng.int(0, 999));
  return pseudoWord(rng, 1, 2) + '-' + String(rng.int(1, 99));
}

function copyEpisode(rng: Rng, opts: CorpusOptions): Episode {
  const inName = pick(rng, TEXT_FIELDS);
  const outName = fieldName(rng, COPY_OUT.filter((n) => n !== inName));
  const cot = chance(rng, 0.5);
  const sig = makeSignature(
    {
      inputs: [{ name: inName, description: chance(rng, 0.5) ? `the ${inName} to repeat` : '' }],
      outputs: [{ name: outName, description: chance(rng, 0.5) ? `exactly the given ${inName}` : '' }],
      instructions: pick(rng, [`Repeat the ${inName} exactly.`, `Copy the ${inName} into ${outName}, unchanged.`, `Write the same ${inName} back.`]),
    },
    cot,
  );
  const row = (): Row => {
    const v = randomValue(rng, opts);
    const outputs: Record<string, string> = { [outName]: v };
    if (cot) outputs.reasoning = `The ${inName} is ${v}.`;
    return { inputs: { [inName]: v }, outputs };
  };
  const demos = Array.from({ length: demoCount(rng, 3, 0.4) }, row);
  const q = row();
  return { task: 'copy', ...render(sig, demos, q, rng, 0.3), answer: q.outputs };
}

// ---------- recite ----------

/** High-entropy text: pseudo-words, numbers and codes, so copying is the only way to predict it. */
function longText(rng: Rng, opts: CorpusOptions): string {
  return Array.from({ length: rng.int(12, 40) }, () => {
    const r = rng.next();
    if (r < 0.7) return wordOr(rng, opts, () => pseudoWord(rng, 1, 3));
    if (r < 0.85) return String(rng.int(0, 999));
    return fmtNum(rng.int(0, 99) / 10, 1);
  }).join(' ');
}

/**
 * Dense copying: every row (0-3 demos and the query) repeats a long text. Episodes without demos
 * have a single source span (the easiest case for learning to copy); demos add more copies but
 * also more candidate spans to copy from.
 */
function reciteEpisode(rng: Rng, opts: CorpusOptions): Episode {
  const inName = pick(rng, TEXT_FIELDS);
  const outName = fieldName(rng, COPY_OUT.filter((n) => n !== inName));
  const sig = makeSignature(
    {
      inputs: [{ name: inName, description: chance(rng, 0.5) ? `the ${inName} to repeat` : '' }],
      outputs: [{ name: outName, description: chance(rng, 0.5) ? `exactly the given ${inName}` : '' }],
      instructions: pick(rng, [`Repeat the ${inName} exactly.`, `Copy the ${inName} into ${outName}, unchanged.`]),
    },
    false,
  );
  const row = (): Row => {
    const v = longText(rng, opts);
    return { inputs: { [inName]: v }, outputs: { [outName]: v } };
  };
  const demos = Array.from({ length: pick(rng, [0, 0, 1, 2, 3]) }, row);
  const q = row();
  return { task: 'recite', ...render(sig, demos, q, rng, 0), answer: q.outputs };
}

// ---------- lookup ----------

function lookupEpisode(rng: Rng): Episode {
  const tableName = pick(rng, ['table', 'records', 'entries', 'directory', 'list', 'registry']);
  const keyName = pick(rng, ['key', 'name', 'query', 'code', 'id']);
  const valName = fieldName(rng, ['value', 'answer', 'result', 'match', 'entry_value']);
  const numeric = chance(rng, 0.35);
  const sep = pick(rng, [': ', ' = ', ' -> ']);
  const cot = chance(rng, 0.5);
  const sig = makeSignature(
    {
      inputs: [
        { name: tableName, description: chance(rng, 0.5) ? 'one entry per line: a key and its value' : '' },
        { name: keyName, description: chance(rng, 0.5) ? `the key to look up in the ${tableName}` : '' },
      ],
      outputs: [{ name: valName, description: chance(rng, 0.5) ? `the value stored under the ${keyName}` : '' }],
      instructions: pick(rng, [
        `Find the line of the ${tableName} whose key is the given ${keyName} and give its value.`,
        `Look up the ${keyName} in the ${tableName}.`,
        `Return the value paired with the ${keyName}.`,
      ]),
    },
    cot,
  );
  const row = (): Row => {
    const n = rng.int(2, 10);
    // Keys share prefixes sometimes, so copying must be exact ("rahi" vs "rahika").
    const base = pseudoWord(rng, 1, 2);
    const keys = distinctWords(rng, n, () => (chance(rng, 0.3) ? base + pseudoWord(rng, 1, 1) : pseudoWord(rng, 1, 3)));
    const vals = keys.map(() => (numeric ? fmtNum(rng.int(1, 99) / 10, 1) : pseudoWord(rng, 1, 3)));
    const i = rng.int(0, n - 1);
    const outputs: Record<string, string> = { [valName]: vals[i]! };
    if (cot) outputs.reasoning = `The line for ${keys[i]} says ${vals[i]}.`;
    return { inputs: { [tableName]: keys.map((k, j) => `${k}${sep}${vals[j]}`).join('\n'), [keyName]: keys[i]! }, outputs };
  };
  const demos = Array.from({ length: demoCount(rng, 3, 0.4) }, row);
  const q = row();
  return { task: 'lookup', ...render(sig, demos, q, rng, 0.3), answer: q.outputs };
}

// ---------- compare ----------

function randNum(rng: Rng, decimals: number): number {
  return decimals === 1 ? rng.int(0, 99) / 10 : rng.int(0, 99);
}

function compareEpisode(rng: Rng): Episode {
  const kind = pick(rng, ['pair', 'pair', 'list']);
  const decimals = chance(rng, 0.75) ? 1 : 0;
  const cot = chance(rng, 0.5);
  const want = pick(rng, ['larger', 'smaller']);
  if (kind === 'pair') {
    const [a, b] = distinctWords(rng, 2, () => pick(rng, ['a', 'b', 'x', 'y', 'first', 'second', 'left', 'right', 'p', 'q']));
    const outName = fieldName(rng, [want, want, 'answer', 'result', 'which']);
    const sig = makeSignature(
      {
        inputs: [{ name: a!, description: chance(rng, 0.4) ? 'a number' : '' }, { name: b!, description: chance(rng, 0.4) ? 'a number' : '' }],
        outputs: [{ name: outName, description: chance(rng, 0.5) ? `the ${want} of the two numbers` : '' }],
        instructions: pick(rng, [`Give the ${want} of the two numbers.`, `Which number is ${want}? Write that number.`, `Compare ${a} and ${b} and write the ${want} one.`]),
      },
      cot,
    );
    const row = (): Row => {
      const x = randNum(rng, decimals);
      let y = randNum(rng, decimals);
      while (y === x) y = randNum(rng, decimals);
      if (chance(rng, 0.4)) y = Math.max(0, Math.min(decimals ? 9.9 : 99, x + (chance(rng, 0.5) ? 1 : -1) * (decimals ? 0.1 * rng.int(1, 5) : rng.int(1, 5))));
      if (decimals) y = round1(y);
      if (y === x) y = decimals ? round1(x === 9.9 ? 9.8 : x + 0.1) : x === 99 ? 98 : x + 1;
      const sx = fmtNum(x, decimals);
      const sy = fmtNum(y, decimals);
      const res = want === 'larger' ? (x > y ? sx : sy) : x < y ? sx : sy;
      const other = res === sx ? sy : sx;
      const outputs: Record<string, string> = { [outName]: res };
      if (cot) outputs.reasoning = `${res} is ${want} than ${other}.`;
      return { inputs: { [a!]: sx, [b!]: sy }, outputs };
    };
    const demos = Array.from({ length: demoCount(rng, 3, 0.5) }, row);
    const q = row();
    return { task: 'compare', ...render(sig, demos, q, rng, 0.3), answer: q.outputs };
  }
  const which = want === 'larger' ? 'largest' : 'smallest';
  const inName = pick(rng, ['numbers', 'values', 'readings', 'scores']);
  const outName = fieldName(rng, [which, 'answer', 'result']);
  const sig = makeSignature(
    {
      inputs: [{ name: inName, description: chance(rng, 0.5) ? 'a list of numbers' : '' }],
      outputs: [{ name: outName, description: chance(rng, 0.5) ? `the ${which} number in the list` : '' }],
      instructions: pick(rng, [`Find the ${which} of the ${inName}.`, `Write the ${which} number.`]),
    },
    cot,
  );
  const row = (): Row => {
    const n = rng.int(3, 6);
    const xs = new Set<string>();
    while (xs.size < n) xs.add(fmtNum(randNum(rng, decimals), decimals));
    const list = [...xs];
    const nums = list.map(Number);
    const best = want === 'larger' ? Math.max(...nums) : Math.min(...nums);
    const res = list[nums.indexOf(best)]!;
    const outputs: Record<string, string> = { [outName]: res };
    if (cot) outputs.reasoning = `The ${which} is ${res}.`;
    return { inputs: { [inName]: chance(rng, 0.5) ? list.join(', ') : list }, outputs };
  };
  const demos = Array.from({ length: demoCount(rng, 2, 0.6) }, row);
  const q = row();
  return { task: 'compare', ...render(sig, demos, q, rng, 0.3), answer: q.outputs };
}

// ---------- records (shared by rule and classify) ----------

const OBJECTS = ['specimen', 'sample', 'crystal', 'shell', 'seed', 'leaf', 'stone', 'beetle', 'moth', 'fruit', 'mushroom', 'grain', 'fish', 'feather', 'pebble', 'bean', 'cone', 'pod'];
const PARTS = ['cap', 'stem', 'fin', 'body', 'root', 'blade', 'husk', 'spur', 'core', 'wing', 'tail', 'rim', 'shell', 'horn', 'lobe', 'scale', 'base', 'tip'];
const MEASURES = ['length', 'width', 'height', 'depth', 'mass', 'thickness', 'diameter', 'span'];
const UNITS: Record<string, string[]> = {
  length: ['cm', 'mm'], width: ['cm', 'mm'], height: ['cm', 'mm'], depth: ['cm', 'mm'], mass: ['g'], thickness: ['mm', 'cm'], diameter: ['cm', 'mm'], span: ['cm'],
};
const KIND_WORDS = ['class', 'kind', 'type', 'variety', 'category', 'group', 'strain', 'breed', 'label', 'family'];

interface RecordSpec {
  object: string;
  features: Field[];
}

function recordSpec(rng: Rng, nFeatures: number): RecordSpec {
  const object = pick(rng, OBJECTS);
  const names = new Set<string>();
  const features: Field[] = [];
  while (features.length < nFeatures) {
    const part = pick(rng, PARTS);
    const measure = pick(rng, MEASURES);
    const name = chance(rng, 0.5) ? `${pseudoWord(rng, 1, 2)}_${measure}` : `${part}_${measure}`;
    if (names.has(name)) continue;
    names.add(name);
    const unit = pick(rng, UNITS[measure]!);
    const desc = pick(rng, [
      `${measure[0]!.toUpperCase()}${measure.slice(1)} of the ${part} of the ${object}, in ${unit}.`,
      `The ${object}'s ${part} ${measure} (${unit}).`,
      '',
    ]);
    features.push({ name, description: desc });
  }
  return { object, features };
}

/** True when any 4 consecutive values of the record are all within `tol` of an excluded row. */
function tooClose(values: number[], ex: Exclusions | undefined): boolean {
  if (!ex) return false;
  for (let s = 0; s + 4 <= values.length; s++) {
    if (ex.records4.some((r) => r.every((v, i) => Math.abs(v - values[s + i]!) <= ex.tol))) return true;
  }
  return false;
}

// ---------- rule ----------

function ruleEpisode(rng: Rng, opts: CorpusOptions, ex?: Exclusions): Episode {
  const nf = rng.int(2, 5);
  const spec = recordSpec(rng, nf);
  const kind = pick(rng, KIND_WORDS);
  const [hi, lo] = classNames(rng, 2, opts);
  const fi = rng.int(0, nf - 1);
  const feat = spec.features[fi]!.name;
  const t = rng.int(15, 85) / 10;
  const cot = chance(rng, 0.7);
  const outName = fieldName(rng, [kind, kind, 'answer']);
  const sig = makeSignature(
    {
      inputs: spec.features,
      outputs: [{ name: outName, description: chance(rng, 0.5) ? `exactly one of ${hi}, ${lo}` : '' }],
      instructions: pick(rng, [
        `Decide the ${kind} of the ${spec.object}: if ${feat} is above ${fmtNum(t, 1)} it is ${hi}, otherwise it is ${lo}.`,
        `A ${spec.object} whose ${feat} is below ${fmtNum(t, 1)} is ${lo}; any other ${spec.object} is ${hi}. Give its ${kind}.`,
      ]),
    },
    cot,
  );
  const row = (): Row => {
    for (;;) {
      const vals = spec.features.map(() => rng.int(1, 99) / 10);
      if (vals[fi] === t) continue;
      if (tooClose(vals, ex)) continue;
      const label = vals[fi]! > t ? hi! : lo!;
      const outputs: Record<string, string> = { [outName]: label };
      if (cot) outputs.reasoning = `${feat} is ${fmtNum(vals[fi]!, 1)}, ${vals[fi]! > t ? 'above' : 'below'} ${fmtNum(t, 1)}, so ${label}.`;
      const inputs: Record<string, FieldValue> = {};
      spec.features.forEach((f, i) => (inputs[f.name] = fmtNum(vals[i]!, 1)));
      return { inputs, outputs };
    }
  };
  const demos = Array.from({ length: demoCount(rng, 3, 0.5) }, row);
  const q = row();
  return { task: 'rule', ...render(sig, demos, q, rng, 0.4), answer: q.outputs };
}

// ---------- classify ----------

/**
 * K classes with random prototypes over F features (each feature informative or not); demos are
 * drawn from the same classes. The reasoning names the most separating feature and the demo whose
 * value on it is closest (queries where that demo's class differs from the truth are resampled,
 * so the reasoning always supports the answer). Class names appear in the instructions, the output
 * description, both, or only in the demos.
 */
function classifyEpisode(rng: Rng, opts: CorpusOptions, ex?: Exclusions): Episode {
  const K = pick(rng, [2, 3, 3, 3, 4]);
  const F = pick(rng, [2, 3, 4, 4, 4, 5, 6]);
  const spec = recordSpec(rng, F);
  const kind = pick(rng, KIND_WORDS);
  const classes = classNames(rng, K, opts);
  const scale = chance(rng, 0.85) ? 1 : 0; // decimals
  const maxV = scale ? 9.9 : 99;
  const minV = scale ? 0.1 : 1;
  const span = maxV - minV;
  // Prototypes: per feature, either informative (spread-out class means) or noise.
  const protos: number[][] = classes.map(() => []);
  const sd: number[] = [];
  let key = 0;
  let bestSep = -1;
  for (let f = 0; f < F; f++) {
    const informative = f === 0 || chance(rng, 0.6);
    const center = minV + span * (0.2 + 0.6 * rng.next());
    const spread = informative ? span * (0.15 + 0.25 * rng.next()) : span * 0.03;
    const noise = span * (0.02 + 0.04 * rng.next());
    sd.push(noise);
    const means = classes.map(() => center + spread * (rng.next() * 2 - 1));
    means.forEach((m, c) => protos[c]!.push(m));
    const sorted = [...means].sort((a, b) => a - b);
    let gap = Infinity;
    for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i]! - sorted[i - 1]!);
    if (gap / noise > bestSep) {
      bestSep = gap / noise;
      key = f;
    }
  }
  const order = rng.shuffle(spec.features.map((_, i) => i));
  const features = order.map((i) => spec.features[i]!);
  const draw = (c: number): number[] => {
    for (;;) {
      const v = order.map((f) => {
        const g = (rng.next() + rng.next() + rng.next() - 1.5) * 2; // ~N(0,1)
        const x = protos[c]![f]! + g * sd[f]!;
        return Math.min(maxV, Math.max(minV, scale ? round1(x) : Math.round(x)));
      });
      if (!tooClose(v, ex)) return v;
    }
  };
  const keyPos = order.indexOf(key);
  const keyName = spec.features[key]!.name;
  const namesWhere = pick(rng, ['instructions', 'instructions', 'output', 'both', 'demos', 'demos']);
  const cot = chance(rng, 0.8);
  const outName = fieldName(rng, [kind, kind, kind, 'answer', 'prediction']);
  const shownOrder = rng.shuffle(classes);
  const list = listWords(shownOrder);
  const instr =
    namesWhere === 'instructions' || namesWhere === 'both'
      ? pick(rng, [
          `Given the measurements of a ${spec.object}, decide which ${kind} it belongs to: ${list}.`,
          `Classify the ${spec.object} as ${list}.`,
          `Each ${spec.object} is one of ${list}. Decide which from its measurements.`,
        ])
      : pick(rng, [
          `Given the measurements of a ${spec.object}, decide which ${kind} it belongs to.`,
          `Classify the ${spec.object} from its measurements.`,
          `Predict the ${kind} of the ${spec.object}.`,
        ]);
  const outDesc =
    namesWhere === 'output' || namesWhere === 'both' ? `The ${kind} of the ${spec.object}: exactly one of ${shownOrder.join(', ')}.` : chance(rng, 0.3) ? `the ${kind}` : '';
  const sig = makeSignature({ inputs: features, outputs: [{ name: outName, description: outDesc }], instructions: instr }, cot);
  const nDemos = namesWhere === 'demos' ? rng.int(Math.min(K, 3), 8) : demoCount(rng, 8, opts.zeroShotClassify);
  const demoRows: Array<{ v: number[]; c: number }> = [];
  // Cover classes first (as a bootstrap over a shuffled train set often does), then random.
  const coverFirst = chance(rng, 0.6);
  for (let i = 0; i < nDemos; i++) {
    const c = coverFirst && i < K ? i : rng.int(0, K - 1);
    demoRows.push({ v: draw(c), c });
  }
  const shuffledDemos = rng.shuffle(demoRows);
  const fmt = (x: number) => fmtNum(x, scale);
  const reasoningFor = (v: number[], c: number, pool: Array<{ v: number[]; c: number }>): string | null => {
    if (pool.length === 0) return `${keyName} is ${fmt(v[keyPos]!)}, so ${classes[c]}.`;
    let best = pool[0]!;
    for (const d of pool) if (Math.abs(d.v[keyPos]! - v[keyPos]!) < Math.abs(best.v[keyPos]! - v[keyPos]!)) best = d;
    if (best.c !== c) return null;
    return `${keyName} is ${fmt(v[keyPos]!)}, closest to ${fmt(best.v[keyPos]!)} (${classes[c]}), so ${classes[c]}.`;
  };
  const toRow = (v: number[], c: number, reasoning: string): Row => {
    const inputs: Record<string, FieldValue> = {};
    features.forEach((f, i) => (inputs[f.name] = fmt(v[i]!)));
    const outputs: Record<string, string> = { [outName]: classes[c]! };
    if (cot) outputs.reasoning = reasoning;
    return { inputs, outputs };
  };
  const demos = shuffledDemos.map((d, i) => {
    const r = reasoningFor(d.v, d.c, shuffledDemos.slice(0, i)) ?? `${keyName} is ${fmt(d.v[keyPos]!)}, so ${classes[d.c]}.`;
    return toRow(d.v, d.c, r);
  });
  let q: Row | null = null;
  const records = shuffledDemos.map((d) => d.v);
  for (let tries = 0; q === null; tries++) {
    const c = rng.int(0, K - 1);
    const v = draw(c);
    const r = reasoningFor(v, c, shuffledDemos);
    if (r !== null || tries > 30) {
      q = toRow(v, c, r ?? `${keyName} is ${fmt(v[keyPos]!)}, so ${classes[c]}.`);
      records.push(v);
    }
  }
  return { task: 'classify', ...render(sig, demos, q, rng, 0.5), answer: q.outputs, records };
}

// ---------- arith ----------

const THINGS = ['marbles', 'coins', 'stamps', 'shells', 'cards', 'beads', 'pencils', 'buttons', 'stickers', 'tokens', 'pebbles', 'ribbons'];

function capital(w: string): string {
  return w[0]!.toUpperCase() + w.slice(1);
}

function arithEpisode(rng: Rng): Episode {
  const qName = pick(rng, ['question', 'problem', 'word_problem']);
  const aName = fieldName(rng, ['answer', 'answer', 'result', 'total']);
  const sig = makeSignature(
    {
      inputs: [{ name: qName, description: chance(rng, 0.5) ? 'a short arithmetic word problem' : '' }],
      outputs: [{ name: aName, description: chance(rng, 0.5) ? 'a number' : '' }],
      instructions: pick(rng, ['Solve the problem step by step and give the final number.', 'Answer the word problem with a number.', 'Work out the answer.']),
    },
    true,
  );
  const row = (): Row => {
    const name = capital(pseudoWord(rng, 2, 2));
    const thing = pick(rng, THINGS);
    const a = rng.int(2, 40);
    const b = rng.int(2, 30);
    const c = rng.int(2, 6);
    const form = rng.int(0, 4);
    let q = '';
    let steps = '';
    let ans = 0;
    if (form === 0) {
      ans = a + b;
      q = `${name} has ${a} ${thing} and gets ${b} more. How many ${thing} does ${name} have now?`;
      steps = `${a} + ${b} = ${ans}.`;
    } else if (form === 1) {
      const big = a + b;
      ans = big - b;
      q = `${name} had ${big} ${thing} and gave away ${b}. How many ${thing} are left?`;
      steps = `${big} - ${b} = ${ans}.`;
    } else if (form === 2) {
      ans = a * c;
      q = `${name} fills ${c} boxes with ${a} ${thing} each. How many ${thing} is that in all?`;
      steps = `${c} x ${a} = ${ans}.`;
    } else if (form === 3) {
      const tot = a * c;
      ans = a;
      q = `${name} shares ${tot} ${thing} equally among ${c} friends. How many ${thing} does each friend get?`;
      steps = `${tot} / ${c} = ${ans}.`;
    } else {
      const m = a * c;
      ans = m + b;
      q = `${name} buys ${c} bags of ${a} ${thing} and finds ${b} more. How many ${thing} does ${name} have?`;
      steps = `${c} x ${a} = ${m}. ${m} + ${b} = ${ans}.`;
    }
    return { inputs: { [qName]: q }, outputs: { reasoning: steps, [aName]: String(ans) } };
  };
  const demos = Array.from({ length: demoCount(rng, 3, 0.5) }, row);
  const q = row();
  return { task: 'arith', ...render(sig, demos, q, rng, 0.3), answer: q.outputs, question: String(q.inputs[qName]) };
}

// ---------- qa ----------

function qaEpisode(rng: Rng): Episode {
  const cName = pick(rng, ['context', 'passages']);
  const qName = pick(rng, ['question', 'query']);
  const aName = fieldName(rng, ['answer', 'answer', 'response']);
  const sig = makeSignature(
    {
      inputs: [
        { name: cName, description: chance(rng, 0.5) ? 'may contain relevant facts' : '' },
        { name: qName, description: '' },
      ],
      outputs: [{ name: aName, description: chance(rng, 0.5) ? 'often between 1 and 5 words' : '' }],
      instructions: pick(rng, ['Answer the question using the passages.', 'Answer questions with short factoid answers.', 'Read the context and answer the question.']),
    },
    chance(rng, 0.8),
  );
  const cot = sig.outputNames.includes('reasoning');
  const row = (): Row => {
    const n = rng.int(2, 4);
    const facts: Array<{ text: string; q: string; a: string; title: string }> = [];
    for (let i = 0; i < n; i++) {
      const e = capital(pseudoWord(rng, 2, 3));
      const place = capital(pseudoWord(rng, 2, 3));
      const person = `${capital(pseudoWord(rng, 2, 2))} ${capital(pseudoWord(rng, 2, 3))}`;
      const year = String(rng.int(1200, 1999));
      const form = rng.int(0, 3);
      if (form === 0) facts.push({ title: e, text: `${e} is a town in ${place}, founded in ${year}.`, q: `In which country is ${e}?`, a: place });
      else if (form === 1) facts.push({ title: e, text: `${e} is a town in ${place}, founded in ${year}.`, q: `When was ${e} founded?`, a: year });
      else if (form === 2) facts.push({ title: e, text: `${e} is a novel written by ${person}.`, q: `Who wrote ${e}?`, a: person });
      else facts.push({ title: person, text: `${person} was a painter born in ${place}.`, q: `Where was ${person} born?`, a: place });
    }
    const target = facts[rng.int(0, n - 1)]!;
    const passages = facts.map((f) => `${f.title} | ${f.text}`);
    const outputs: Record<string, string> = { [aName]: target.a };
    if (cot) outputs.reasoning = `The passage on ${target.title} says: ${target.text}`;
    return { inputs: { [cName]: passages, [qName]: target.q }, outputs };
  };
  const demos = Array.from({ length: demoCount(rng, 2, 0.6) }, row);
  const q = row();
  return { task: 'qa', ...render(sig, demos, q, rng, 0.3), answer: q.outputs, question: String(q.inputs[qName]) };
}

// ---------- entry point ----------

export function generateEpisode(task: TaskName, seed: number, index: number, ex?: Exclusions, options: Partial<CorpusOptions> = {}): Episode {
  const opts: CorpusOptions = { ...DEFAULT_CORPUS_OPTIONS, ...options };
  const rng = new Rng(deriveSeed(seed, 'demo-corpus', task, index));
  switch (task) {
    case 'recite':
      return reciteEpisode(rng, opts);
    case 'copy':
      return copyEpisode(rng, opts);
    case 'lookup':
      return lookupEpisode(rng);
    case 'compare':
      return compareEpisode(rng);
    case 'rule':
      return ruleEpisode(rng, opts, ex);
    case 'classify':
      return classifyEpisode(rng, opts, ex);
    case 'arith':
      return arithEpisode(rng);
    case 'qa':
      return qaEpisode(rng);
  }
}

/** Parses iris.csv-like text into 4-value rows (used only to keep such rows out of the corpus). */
export function parseNumericRows(csv: string): number[][] {
  return csv
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',').slice(0, 4).map(Number))
    .filter((r) => r.length === 4 && r.every((x) => Number.isFinite(x)));
}
