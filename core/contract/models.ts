// The model library as front ends see it: the models it lists, a pull or copy started in the
// background, and the progress both report while they move bytes.

export type ModelSource = 'embedded' | 'local' | 'pulled';

export interface ModelEntry {
  /** The name to pass to resolveModel / `--model`. */
  name: string;
  /** The checkpoint folder (for a linked model, the folder it points at). */
  path: string;
  source: ModelSource;
  /** config.json `architectures[0]`. */
  architecture: string | null;
  /** Estimated from config.json. */
  parameters: number | null;
  /** Sum of the weight files' sizes. */
  sizeBytes: number;
  /** config.json `torch_dtype`. */
  dtype: string | null;
  hasChatTemplate: boolean;
  /** True for a local model registered as a pointer to a folder outside the library. */
  linked: boolean;
  /** Pulled models: hub repo id, requested revision and resolved commit. */
  repo?: string;
  revision?: string;
  sha?: string;
  /** Set when the entry cannot be used as it is (its folder vanished, files are missing, …). */
  problem?: string;
}

export interface ModelList {
  /** The library folder. */
  dir: string;
  models: ModelEntry[];
}

export interface ModelOperation {
  operationId: number;
  repo: string;
  /** The library name the model is pulled into. */
  name: string;
}

/** Byte progress of copying a model's files. */
export interface TransferProgress {
  /** The file being transferred, relative to the model folder. */
  file: string;
  bytesDone: number;
  /** Null when the size is not known yet. */
  bytesTotal: number | null;
  overallDone: number;
  overallTotal: number;
  /** Recent transfer rate in bytes per second (0 before there is a measurement). */
  speed: number;
}

/** Byte progress of a pull: the current file and the whole pull. */
export interface PullProgress extends TransferProgress {
  filesDone: number;
  filesTotal: number;
}

/** A notable step of a pull, worth a line in its log. */
export type PullEvent =
  | { type: 'resolved'; repo: string; revision: string; sha: string; files: Array<{ name: string; size: number | null }>; totalBytes: number }
  | { type: 'up-to-date'; repo: string; sha: string; path: string }
  | { type: 'skip'; file: string; reason: string }
  | { type: 'file-start'; file: string; size: number | null }
  /** A partial download is continued from byte `from` (a Range request). */
  | { type: 'resume'; file: string; from: number }
  /** A partial download was thrown away and the file starts over. */
  | { type: 'restart'; file: string; reason: string }
  | { type: 'retry'; file: string | null; attempt: number; delayMs: number; reason: string }
  | { type: 'file-done'; file: string; size: number; sha256: string; downloaded: number; reused: boolean };
