import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../core/datasets/errors.ts';
import {
  bundledHotpotQAPath,
  hotpotCorpus,
  hotpotPassages,
  loadHotpotQA,
  type HotpotQuestion,
} from '../../../core/tasks/hotpotqa-data.ts';
import { tempDir } from '../datasets/helpers.ts';

// From resources/datasets/hotpotqa/README.md (and the shared data's README).
const BUNDLED_SHA256 = '42f3f23db5cbee3cd5f0ade2a844c2e23841f1cd8f99887226ac734e671e446e';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

/** An official-format row (with `_id`). */
function officialRow(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _id: id,
    answer: 'yes',
    question: `Are both ${id} films?`,
    supporting_facts: [['Alpha', 0], ['Beta', 1], ['Alpha', 1]],
    context: [
      ['Alpha', ['Alpha is a film.', ' It was made in 1990.']],
      ['Beta', ['Beta is a film.', ' It was made in 1991.']],
      ['Gamma', ['Gamma is a town.']],
    ],
    type: 'comparison',
    level: 'hard',
    ...overrides,
  };
}

const expectedQuestion = (id: string): HotpotQuestion => ({
  id,
  question: `Are both ${id} films?`,
  answer: 'yes',
  type: 'comparison',
  level: 'hard',
  supportingFacts: [['Alpha', 0], ['Beta', 1], ['Alpha', 1]],
  supportingTitles: ['Alpha', 'Beta'],
  context: [
    { title: 'Alpha', sentences: ['Alpha is a film.', ' It was made in 1990.'] },
    { title: 'Beta', sentences: ['Beta is a film.', ' It was made in 1991.'] },
    { title: 'Gamma', sentences: ['Gamma is a town.'] },
  ],
});

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
/** Pretty-printed like `json.dump(rows, f, indent=1)`: each element starts on its own line. */
const jsonArray = (rows: unknown[]) => JSON.stringify(rows, null, 1);

async function writeGz(name: string, text: string): Promise<string> {
  const file = path.join(tmp.dir, name);
  await writeFile(file, gzipSync(Buffer.from(text, 'utf8')));
  return file;
}

async function loadError(file: string): Promise<DatasetError> {
  const error = await loadHotpotQA(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('loadHotpotQA: formats', () => {
  it('reads the official JSON array with "_id"', async () => {
    const file = await tmp.write('dev.json', jsonArray([officialRow('a1'), officialRow('b2')]));
    expect(await loadHotpotQA(file)).toEqual([expectedQuestion('a1'), expectedQuestion('b2')]);
  });

  it('reads JSON Lines with "id" or "_id", and ignores extra fields', async () => {
    const { _id, ...withoutOfficialId } = officialRow('a1');
    expect(_id).toBe('a1');
    const rows = [{ id: 'a1', ...withoutOfficialId, source_split: 'dev' }, officialRow('b2')];
    const file = await tmp.write('q.jsonl', jsonl(rows));
    expect(await loadHotpotQA(file)).toEqual([expectedQuestion('a1'), expectedQuestion('b2')]);
  });

  it('reads gzipped JSON arrays and JSON Lines', async () => {
    const rows = [officialRow('a1'), officialRow('b2')];
    const expected = [expectedQuestion('a1'), expectedQuestion('b2')];
    expect(await loadHotpotQA(await writeGz('dev.json.gz', JSON.stringify(rows)))).toEqual(expected);
    expect(await loadHotpotQA(await writeGz('q.jsonl.gz', jsonl(rows)))).toEqual(expected);
  });

  it('decides the format by content, not by the file name', async () => {
    const file = await tmp.write('named-jsonl-but-array.jsonl', ` \n${jsonArray([officialRow('a1')])}`);
    expect((await loadHotpotQA(file)).map((q) => q.id)).toEqual(['a1']);
  });

  it('reads the Hugging Face column form of context and supporting facts', async () => {
    const row = officialRow('a1', {
      supporting_facts: { title: ['Alpha', 'Beta', 'Alpha'], sent_id: [0, 1, 1] },
      context: {
        title: ['Alpha', 'Beta', 'Gamma'],
        sentences: [['Alpha is a film.', ' It was made in 1990.'], ['Beta is a film.', ' It was made in 1991.'], ['Gamma is a town.']],
      },
    });
    const file = await tmp.write('hf.jsonl', jsonl([row]));
    expect(await loadHotpotQA(file)).toEqual([expectedQuestion('a1')]);
  });
});

describe('loadHotpotQA: bad rows name where and what', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ['a missing question', { question: undefined }, 'question', 'missing required field "question"'],
    ['a question that is not a string', { question: 7 }, 'question', 'field must be a string, found a number (7)'],
    ['an empty question', { question: '  ' }, 'question', 'field is empty'],
    ['an unknown type', { type: 'multi' }, 'type', '"multi" is not one of bridge, comparison'],
    ['a missing level', { level: undefined }, 'level', 'missing required field "level"'],
    ['a fact with a string index', { supporting_facts: [['Alpha', '0']] }, 'supporting_facts[0]', 'the sentence index must be a whole number >= 0, found "0"'],
    ['a fact that is not a pair', { supporting_facts: [['Alpha', 0], 'Beta'] }, 'supporting_facts[1]', 'expected a [title, sentence index] pair, found a string ("Beta")'],
    ['no supporting facts', { supporting_facts: [] }, 'supporting_facts', 'no supporting facts'],
    ['a sentence that is not a string', { context: [['Alpha', ['ok', null]]] }, 'context[0]', 'sentence 1 must be a string, found null'],
    ['a title that is not a string', { context: [['Alpha', ['ok']], [3, ['x']]] }, 'context[1]', 'the title must be a string, found a number (3)'],
    ['mismatched columns', { context: { title: ['A'], sentences: [] } }, 'context', 'expected a list of pairs, or columns "title" and "sentences" as lists of the same length'],
    ['differing _id and id', { id: 'zz' }, 'id', 'the row has both "_id" ("b2") and "id" ("zz") and they differ'],
    ['no id at all', { _id: undefined }, '_id', 'missing required field "_id" (or "id")'],
  ])('JSON Lines: %s', async (_, overrides, field, problem) => {
    const file = await tmp.write('bad.jsonl', jsonl([officialRow('a1'), officialRow('b2', overrides)]));
    const error = await loadError(file);
    expect(error.message).toBe(`${file}, line 2 (field "${field}"): ${problem}`);
    expect([error.line, error.field]).toEqual([2, field]);
  });

  it('names the element index and its line in a JSON array', async () => {
    const text = jsonArray([officialRow('a1'), officialRow('b2'), officialRow('c3', { level: 'extreme' })]);
    const file = await tmp.write('bad.json', text);
    // The element starts on the line before its `"_id": "c3"`; as a 0-based index that is its 1-based line.
    const startLine = text.split('\n').findIndex((l) => l.includes('"c3"'));
    expect(text.split('\n')[startLine - 1]).toBe(' {');
    const error = await loadError(file);
    expect(error.message).toBe(`${file}, line ${startLine} (field "level"): element [2] of the top-level array: "extreme" is not one of easy, medium, hard`);
  });

  it('says that a file without answers is the unlabelled test set', async () => {
    const { answer, supporting_facts, type, level, ...testRow } = officialRow('t1');
    expect([answer, supporting_facts, type, level]).toHaveLength(4);
    const file = await tmp.write('hotpot_test_fullwiki_v1.json', JSON.stringify([testRow]));
    const error = await loadError(file);
    expect(error.message).toMatch(/element \[0\] of the top-level array: missing field "answer": this file has no answers\. HotpotQA's official test set \(hotpot_test_fullwiki_v1\.json\) is unlabelled/);
    expect(error.field).toBe('answer');
  });

  it('rejects a repeated id, naming where it was first seen', async () => {
    const file = await tmp.write('dup.jsonl', jsonl([officialRow('a1'), officialRow('b2'), { ...officialRow('x'), _id: 'a1' }]));
    expect((await loadError(file)).message).toBe(`${file}, line 3 (field "id"): duplicate id "a1" (first seen at line 1)`);
  });

  it('rejects a row that is not an object, an empty array, and invalid JSON', async () => {
    const notObject = await tmp.write('list.jsonl', jsonl([officialRow('a1'), ['a']]));
    expect((await loadError(notObject)).message).toBe(`${notObject}, line 2: expected a JSON object (one question), found a list of 1`);
    const empty = await tmp.write('empty.json', '[]');
    expect((await loadError(empty)).message).toBe(`${empty}: no questions: the file holds an empty array`);
    const broken = await tmp.write('broken.jsonl', `${JSON.stringify(officialRow('a1'))}\n{"_id": "b2",}\n`);
    expect((await loadError(broken)).message).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 2, column \\d+: invalid JSON`));
  });
});

const question = (id: string, context: Array<[string, string[]]>): HotpotQuestion => ({
  ...expectedQuestion(id),
  context: context.map(([title, sentences]) => ({ title, sentences })),
});

describe('hotpotPassages', () => {
  it('joins sentences with nothing between them and trims, id = title, sorted by title', () => {
    const passages = hotpotPassages([question('q1', [['Zeta', [' Zeta is last.', ' Really. ']], ['Alpha', ['Alpha is first.', ' Yes.']]])]);
    expect(passages).toEqual([
      { id: 'Alpha', title: 'Alpha', text: 'Alpha is first. Yes.' },
      { id: 'Zeta', title: 'Zeta', text: 'Zeta is last. Really.' },
    ]);
  });

  it('keeps one passage per title: same text once; different texts: the longest, counted', () => {
    const questions = [
      question('q1', [['Alpha', ['Alpha.']], ['Beta', ['Beta is short.']]]),
      question('q2', [['Alpha', ['Alpha.']], ['Beta', ['Beta is short.', ' And longer.']], ['Gamma', ['G.']]]),
      question('q3', [['Beta', ['Beta is short.']], ['Gamma', ['G.']]]),
    ];
    const corpus = hotpotCorpus(questions);
    expect(corpus.passages).toEqual([
      { id: 'Alpha', title: 'Alpha', text: 'Alpha.' },
      { id: 'Beta', title: 'Beta', text: 'Beta is short. And longer.' },
      { id: 'Gamma', title: 'Gamma', text: 'G.' },
    ]);
    expect(corpus.conflictingTitles).toBe(1);
    // The order of the questions changes nothing.
    expect(hotpotCorpus([...questions].reverse())).toEqual(corpus);
  });

  it('breaks a tie in length by the text that sorts first, whatever the order', () => {
    const a = question('q1', [['T', ['x\u00a0y']]]);
    const b = question('q2', [['T', ['x y']]]);
    expect(hotpotPassages([a, b])).toEqual([{ id: 'T', title: 'T', text: 'x y' }]);
    expect(hotpotPassages([b, a])).toEqual([{ id: 'T', title: 'T', text: 'x y' }]);
    expect(hotpotCorpus([a, b]).conflictingTitles).toBe(1);
  });
});

describe('the bundled questions', () => {
  it('unpack to the file the README names (sha256) and load as 2,153 questions', async () => {
    const file = bundledHotpotQAPath();
    expect(path.basename(file)).toBe('questions.jsonl.gz');
    const bytes = gunzipSync(await readFile(file));
    expect(bytes.length).toBe(13_598_902);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(BUNDLED_SHA256);

    const questions = await loadHotpotQA(file);
    expect(questions).toHaveLength(2153);
    expect(new Set(questions.map((q) => q.id)).size).toBe(2153);
    const count = (pick: (q: HotpotQuestion) => string) => {
      const counts: Record<string, number> = {};
      for (const q of questions) counts[pick(q)] = (counts[pick(q)] ?? 0) + 1;
      return counts;
    };
    expect(count((q) => q.type)).toEqual({ bridge: 1729, comparison: 424 });
    expect(count((q) => q.level)).toEqual({ easy: 68, medium: 204, hard: 1881 });
    expect(questions.every((q) => q.supportingTitles.length === 2)).toBe(true);
    expect(questions.every((q) => q.supportingTitles.every((t) => q.context.some((c) => c.title === t)))).toBe(true);

    const corpus = hotpotCorpus(questions);
    expect(corpus.passages).toHaveLength(20_801);
    expect(corpus.conflictingTitles).toBe(4);
  });
});
