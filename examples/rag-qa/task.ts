// Retrieval-augmented QA over your own JSONL corpus: corpus.jsonl holds 40 made-up passages of
// "Halcyon Labs" (products and employee handbook), questions.jsonl 48 questions with their answer
// and the passage that answers them. The program retrieves 3 passages for the question (BM25
// over a workspace index built from corpus.jsonl on first use) and answers with chain of thought.
// The metric is normalized exact match; two intermediate checks report token F1 of the answer
// and whether the gold passage was among those retrieved.
//
//   npx tandem run examples/rag-qa/task.ts --strategies "p, p -> w" --lm openai:<model> --base-url <url>
//   (--data <folder> runs it on a folder holding your own corpus.jsonl and questions.jsonl)

import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AnswerExactMatch,
  answerF1,
  ChainOfThought,
  defineTask,
  deriveSeed,
  example,
  jsonlObject,
  Module,
  readJsonl,
  readPassageCorpus,
  requireString,
  Retrieve,
  Rng,
  shuffleSplit,
  signature,
  thirds,
  type CallContext,
  type Example,
  type FieldValue,
  type IntermediateCheck,
  type Prediction,
  type TaskRetrieval,
} from 'tandem';

/** The bundled folder (this file's), wherever it is copied. */
const BUNDLED = path.dirname(fileURLToPath(import.meta.url));

/** The folder holding corpus.jsonl and questions.jsonl: --data, or this example's own. */
const folderOf = (dataPath: string | null | undefined) => (dataPath ? path.resolve(dataPath) : BUNDLED);

const answerSignature = signature()
  .input('context', 'Passages that may hold the answer, each as "Title | text".')
  .input('question', 'A question about Halcyon Labs, its products or its employee handbook.')
  .output('answer', 'A short answer, usually 1 to 5 words, taken from the passages.')
  .instructions('Answer the question from the passages with a short factoid answer.')
  .build();

/** Retrieve, then answer; `retrieve` and `answer` are the paths traces and reports show. */
export class HandbookQA extends Module {
  retrieve = new Retrieve(3);
  answer = new ChainOfThought(answerSignature);

  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    const question = String(inputs.question ?? '');
    const passages = await this.retrieve.forward(question, ctx);
    const context = passages.map((p) => `${p.title} | ${p.text}`);
    return this.answer.forward({ context, question }, ctx);
  }
}

/** Every question of a questions.jsonl: {id, question, answer, passage_id, passage_title?}. */
export async function readQuestions(file: string): Promise<Example[]> {
  const records = await readJsonl(file);
  return records.map((record) => {
    const id = jsonlObject(file, record).id;
    return example(
      typeof id === 'string' ? id : `line-${record.line}`,
      { question: requireString(file, record, 'question') },
      { answer: requireString(file, record, 'answer'), passage_id: requireString(file, record, 'passage_id') },
    );
  });
}

const checks: IntermediateCheck[] = [
  {
    name: 'answer_f1',
    label: 'F1',
    module: 'answer',
    description: 'Token F1 of the answer against the gold answer, after the same normalization as exact match.',
    measure(trace, ex) {
      const predicted = trace.prediction?.answer;
      if (predicted === undefined) return trace.error ? 0 : null;
      return answerF1(predicted, String(ex.labels.answer ?? ''));
    },
  },
  {
    name: 'retrieval_hit',
    label: 'hit@3',
    module: 'retrieve',
    description: 'Whether the passage that answers the question was among the 3 retrieved (null when retrieval did not run).',
    measure(trace, ex) {
      const retrieval = trace.retrievals?.find((r) => r.error === null);
      if (!retrieval) return null;
      return retrieval.passages.some((p) => p.id === ex.labels.passage_id) ? 1 : 0;
    },
  },
];

/** The workspace index Retrieve searches unless the run names another (--retriever). */
const retrieval: TaskRetrieval = {
  defaultIndex: (dataPath) =>
    dataPath === null ? 'rag-qa-example' : `rag-qa-${createHash('sha256').update(folderOf(dataPath)).digest('hex').slice(0, 10)}`,
  corpus: (dataPath) => readPassageCorpus(path.join(folderOf(dataPath), 'corpus.jsonl')),
  describe: (dataPath) => `the passages of ${path.join(folderOf(dataPath), 'corpus.jsonl')}`,
};

export default defineTask({
  name: 'rag-qa',
  description: 'Questions about a company handbook: retrieve 3 passages from corpus.jsonl, then answer; normalized exact match, with F1 and retrieval hit as checks.',
  program: () => new HandbookQA(),
  metric: new AnswerExactMatch(),
  async load({ seed, dataPath }) {
    const questions = await readQuestions(path.join(folderOf(dataPath), 'questions.jsonl'));
    return shuffleSplit(questions, thirds(questions.length), new Rng(deriveSeed(seed, 'rag-qa', 'split')));
  },
  protocol: { train: 6, val: 10 },
  checks,
  retrieval,
});
