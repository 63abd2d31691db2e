// core/store: the SQLite store of a workspace. Open it with openStore(file | ':memory:').

export { openStore, type Store, type StoreOptions } from './store.ts';
export { StoreError, storageErrorOf, type StoreErrorCode, type StorageContext } from './errors.ts';
export type { JsonObject } from './json.ts';
export { APPLICATION_ID, latestVersion } from './migrate.ts';
export type { ExperimentRecord, ExperimentRepository, NewExperiment } from './experiments.ts';
export type { ExampleResultPageQuery, ExampleResultPageRepository, ExampleResultRows } from './example-result-pages.ts';
export type { FlipMatrix, FlipRepository } from './flips.ts';
export { RUN_STATUSES, isTerminal, type NewRun, type RunFilter, type RunRecord, type RunRepository, type RunStatus } from './runs.ts';
export type { NewStage, StageKind, StageOutcome, StageRecord, StageRepository, StageScores, StageStatus } from './stages.ts';
export type { CandidateEvaluationInput, CandidateKind, CandidateRecord, CandidateRepository, CandidateSummary, NewCandidate } from './candidates.ts';
export type {
  EvaluationRecord,
  EvaluationRepository,
  EvaluationSummary,
  ExampleResultInput,
  ExampleResultRecord,
  EvaluationInput,
} from './evaluations.ts';
export type { TraceContext, TracePurpose } from './trace-writer.ts';
export type { StoredTrace, TraceRepository, TraceResult } from './traces.ts';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type LMCallFilter,
  type LMCallPage,
  type LMCallPageQuery,
  type LMCallRecord,
  type LMCallRepository,
  type LMCallSort,
  type LMCallStats,
  type LMCallSummary,
} from './lm-calls.ts';
export { toFtsQuery } from './fts-query.ts';
export type { SqliteResponseCache } from './response-cache.ts';
export { FinetuneJobRepository, type FinetuneJobRecord, type NewFinetuneJob } from './finetune-jobs.ts';
export type { CheckMean, CheckSummaryRepository, EvaluationCheckMean } from './check-summaries.ts';
export type { SqliteRetrievalCache } from './retrieval-cache.ts';
export { Bm25Retriever, openBm25Retriever } from './bm25-retriever.ts';
