// The store: one SQLite file per workspace, migrated on open, with one repository per table
// group and query repositories for the views that read across tables (example result pages,
// flip matrices). Every method that finishes a unit of work is one transaction; store.transaction()
// groups several into one (nested ones become savepoints).

import { CandidateRepository } from './candidates.ts';
import { openDatabase, type Db } from './database.ts';
import { EvaluationRepository } from './evaluations.ts';
import { ExampleResultPageRepository } from './example-result-pages.ts';
import { ExperimentRepository } from './experiments.ts';
import { FinetuneJobRepository } from './finetune-jobs.ts';
import { FlipRepository } from './flips.ts';
import { LMCallRepository } from './lm-calls.ts';
import { checkOpenable, migrate } from './migrate.ts';
import { SqliteResponseCache } from './response-cache.ts';
import { RunRepository } from './runs.ts';
import { StageRepository } from './stages.ts';
import { TraceWriter } from './trace-writer.ts';
import { TraceRepository } from './traces.ts';
import { RetrievalCallRepository } from './retrieval-calls.ts';
import { CheckSummaryRepository } from './check-summaries.ts';
import { SqliteRetrievalCache } from './retrieval-cache.ts';
import { BundleRepository } from './bundles.ts';

export interface StoreOptions {
  /** Clock for created/started/finished times (epoch ms); Date.now by default. */
  now?: () => number;
}

export interface Store {
  /** The database file, or `:memory:`. */
  readonly file: string;
  readonly experiments: ExperimentRepository;
  readonly runs: RunRepository;
  readonly stages: StageRepository;
  readonly candidates: CandidateRepository;
  readonly evaluations: EvaluationRepository;
  /** Pages of one evaluation's example results, filtered, searched and sorted. */
  readonly exampleResultPages: ExampleResultPageRepository;
  /** Example-by-example comparisons of two evaluations. */
  readonly flips: FlipRepository;
  readonly traces: TraceRepository;
  readonly lmCalls: LMCallRepository;
  /** Intermediate-check means per stage evaluation and over sets of traces. */
  readonly checkSummaries: CheckSummaryRepository;
  readonly finetuneJobs: FinetuneJobRepository;
  readonly cache: SqliteResponseCache;
  /** Retrieval results by retriever, query and k (retrieval_cache). */
  readonly retrievalCache: SqliteRetrievalCache;
  /** Run bundles: a run written to one file, and a bundle imported (bundles.ts). */
  readonly bundles: BundleRepository;
  /** Runs fn in one transaction (a savepoint when nested); fn must be synchronous. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Opens (creating if needed) and migrates the database at `file`, or an in-memory one for `:memory:`. */
export function openStore(file: string, options: StoreOptions = {}): Store {
  const db = openDatabase(file, { verify: (opened) => checkOpenable(opened, file) });
  try {
    migrate(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  return createStore(db, file, options.now ?? Date.now);
}

function createStore(db: Db, file: string, now: () => number): Store {
  const writer = new TraceWriter(db);
  const lmCalls = new LMCallRepository(db);
  const evaluations = new EvaluationRepository(db, writer, now);
  let closed = false;
  return {
    file,
    experiments: new ExperimentRepository(db, now),
    runs: new RunRepository(db, now),
    stages: new StageRepository(db, now),
    candidates: new CandidateRepository(db, evaluations),
    evaluations,
    exampleResultPages: new ExampleResultPageRepository(db),
    flips: new FlipRepository(db),
    traces: new TraceRepository(db, writer, lmCalls, new RetrievalCallRepository(db), now),
    lmCalls,
    checkSummaries: new CheckSummaryRepository(db),
    finetuneJobs: new FinetuneJobRepository(db, now),
    cache: new SqliteResponseCache(db, now),
    retrievalCache: new SqliteRetrievalCache(db, now),
    bundles: new BundleRepository(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => {
      if (closed) return;
      closed = true;
      try {
        db.pragma('optimize'); // refreshes planner statistics where they have gone stale
      } catch {
        // statistics only: a full disk or a read-only file must not stop the close
      } finally {
        db.close();
      }
    },
  };
}
