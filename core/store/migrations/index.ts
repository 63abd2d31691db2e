// Every migration, in order. Append new ones at the end with the next version number.

import { initialSchema } from './001-initial.ts';
import { finetuneJobs } from './002-finetune-jobs.ts';
import { stageSeed } from './003-stage-seed.ts';
import { exampleLabels } from './004-example-labels.ts';
import { finetuneJobDetails } from './005-finetune-job-details.ts';
import { exampleResultsSearch } from './006-example-results-search.ts';
import { callRequest } from './007-call-request.ts';
import { retrieval } from './008-retrieval.ts';
import { importedRuns } from './009-imported-runs.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

export const MIGRATIONS: readonly Migration[] = [initialSchema, finetuneJobs, stageSeed, exampleLabels, finetuneJobDetails, exampleResultsSearch, callRequest, retrieval, importedRuns];
