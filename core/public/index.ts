// Tandem's public API: what a task file imports (`import { defineTask, ChainOfThought } from
// 'tandem'`). One entry point with stable names; everything else in core/ is internal and may
// change. `tandem run ./my-task.ts` resolves the specifier 'tandem' to this file wherever the task
// file lives. docs/TASKS.md describes each name.

// Tasks
export { defineTask, TaskDefinitionError, type MetricFunction, type TaskDefinition } from '../tasks/define-task.ts';
export type { PromptOptProtocol, Task, TaskLoadOptions, TaskRetrieval, TaskSplits } from '../tasks/task.ts';
export { shuffleSplit, stratifiedSplit, thirds, type SplitSizes, type Splits } from '../tasks/split.ts';

// Programs
export { signature, Signature, SignatureBuilder, SignatureError } from '../program/signature.ts';
export { example, exampleFields, type Example, type FieldValue, type Prediction } from '../program/example.ts';
export { Predict } from '../program/predict.ts';
export { ChainOfThought } from '../program/chain-of-thought.ts';
export { Retrieve } from '../program/retrieve.ts';
export { Module } from '../program/module.ts';
export type { CallContext } from '../program/context.ts';
export type { PredictorCall, ProgramTrace, RetrievalCall, RetrievedPassage } from '../program/trace.ts';

// Metrics and intermediate checks
export type { Metric } from '../evaluate/metric.ts';
export type { IntermediateCheck } from '../evaluate/intermediate-check.ts';
export { ExactMatch, exactMatch, normalizeAnswer, type ExactMatchOptions } from '../evaluate/metrics/exact-match.ts';
export { answerExactMatch, answerF1, AnswerExactMatch, AnswerF1 } from '../evaluate/metrics/answer-match.ts';
export { Gsm8kIntegerMatch, parseLastNumber } from '../evaluate/metrics/gsm8k-integer.ts';
export { ExactValueMatch } from '../evaluate/metrics/exact-value.ts';
export { F1Threshold } from '../evaluate/metrics/token-f1.ts';
export { IntegerMatch, NumericTolerance } from '../evaluate/metrics/number-match.ts';
export { LabelSetMatch } from '../evaluate/metrics/label-set.ts';
export { ContainsAnswer, containsAnswer } from '../evaluate/metrics/contains-answer.ts';
export { RegexMatch } from '../evaluate/metrics/regex-match.ts';

// Data
export { readCsv, requireColumns, csvString, csvNumber, type CsvRow, type CsvTable } from '../datasets/csv.ts';
export { readJsonl, jsonlObject, requireString, optionalString, type JsonlRecord } from '../datasets/jsonl.ts';
export { readPassageCorpus, type Passage } from '../datasets/passage-corpus.ts';
export { DatasetError } from '../datasets/errors.ts';
export { deriveSeed, Rng } from '../util/random.ts';
