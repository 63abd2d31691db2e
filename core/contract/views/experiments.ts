// Experiments as the API lists them (with the latest run's status and best score) and returns
// one (with its spec and every run), and the tasks an experiment can name.

import type { CheckInfo } from './results.ts';
import type { RunSummary } from './runs.ts';
import type { ExperimentSpec } from './spec.ts';

export interface TaskInfo {
  name: string;
  description: string;
  /** The Π subsample sizes (examples to bootstrap from / to validate on). */
  protocol: { train: number; val: number };
  /** Its intermediate checks (empty: none). */
  checks: CheckInfo[];
  /** For a task whose program retrieves: the retriever used when an experiment names none (`bm25:<index>` for its bundled data); null otherwise. */
  defaultRetriever: string | null;
}

export interface BestScore {
  strategy: string;
  label: string;
  split: string;
  /** Percent, mean over seeds. */
  mean: number;
  ci95: number | null;
}

export interface ExperimentSummary {
  id: number;
  name: string;
  task: string;
  createdAt: number;
  /** From the saved spec; empty when the experiment predates it. */
  strategies: string[];
  seeds: number[];
  lm: { provider: string; model: string; baseUrl: string | null } | null;
  runCount: number;
  latestRun: Pick<RunSummary, 'id' | 'status' | 'error' | 'createdAt' | 'finishedAt' | 'active'> | null;
  /** The best strategy of the latest finished run, on test when it was evaluated, else dev. */
  best: BestScore | null;
}

export interface ExperimentDetail extends ExperimentSummary {
  spec: ExperimentSpec | null;
  runs: RunSummary[];
}

/** What deleting an experiment removed. */
export interface DeletedExperiment {
  experimentId: number;
  deletedRuns: number;
}
