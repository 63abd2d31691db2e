// No-code task definitions as front ends see them: a definition text checked (its problems with
// the line they are on, or the definition with a preview of its data and first prompt), a saved
// one, and the workspace's saved definitions (`tasks/` beside the database). Plain types.

import type { StagePlan, TaskDefinition } from '../task-definition.ts';
import type { ChatMessage, FieldValue } from './program.ts';

export type TaskDefinitionFormat = 'yaml' | 'json';

/** Where a problem with the dataset file is, when it is there rather than in the definition. */
export interface DatasetFileLocation {
  file: string;
  /** 1-based line in the dataset file. */
  line?: number;
  column?: number;
}

/** One problem with a definition text: the field's path, what is wrong, and where. */
export interface TaskDefinitionIssue {
  /** Dotted path of the field (`dataset.columns.text`), '' for the whole text. */
  path: string;
  message: string;
  /** 1-based line (and column) in the definition text, when known. */
  line?: number;
  column?: number;
  /** Set when the problem is in the dataset file (a missing column, a bad value, unreadable). */
  dataset?: DatasetFileLocation;
}

/** One example of the dataset, as the mapping reads it. */
export interface TaskPreviewRow {
  id: string;
  inputs: Record<string, FieldValue>;
  labels: Record<string, FieldValue>;
}

export interface TaskDefinitionPreview {
  /** The dataset file read (resolved). */
  file: string;
  /** How many examples it holds. */
  total: number;
  /** The first examples (at most 5), in file order. */
  rows: TaskPreviewRow[];
  stages: StagePlan[];
  /** The first stage's prompt for the first example, as a run would send it. */
  prompt: ChatMessage[];
}

export type TaskDefinitionCheck =
  | { ok: true; definition: TaskDefinition; preview: TaskDefinitionPreview }
  | { ok: false; issues: TaskDefinitionIssue[] };

export type SavedTaskDefinitionResult =
  | { ok: true; name: string; file: string; format: TaskDefinitionFormat }
  | { ok: false; issues: TaskDefinitionIssue[] };

/** A definition file in the workspace's tasks folder. */
export interface SavedTaskDefinition {
  /** The file's name without extension. */
  name: string;
  file: string;
  format: TaskDefinitionFormat;
  /** The task's name inside the definition; null when it does not validate. */
  taskName: string | null;
  description: string;
  /** The dataset file it reads (resolved); null when it does not validate. */
  datasetFile: string | null;
  /** Why the file can no longer be used (does not validate, dataset gone); null when it can. */
  problem: string | null;
  /** Epoch milliseconds. */
  modifiedAt: number;
}

export interface TaskDefinitionList {
  /** The workspace's tasks folder; null for an in-memory workspace. */
  dir: string | null;
  tasks: SavedTaskDefinition[];
}
