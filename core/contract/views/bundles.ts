// Moving a run between workspaces and taking its training data out: a run bundle written to the
// workspace's exports folder and read back a piece at a time (so any transport can download it),
// an imported run, and a fine-tune job's rows as chat JSONL files.

/** A run bundle written to the workspace's `exports/` folder. */
export interface RunBundleFile {
  runId: number;
  /** The file's name inside `exports/` (what readExportChunk takes). */
  filename: string;
  /** Its full path on the machine that runs the API. */
  path: string;
  bytes: number;
  /** SHA-256 of the bundle's content (checked again on import). */
  sha256: string;
  /** The bundle's identity: the same for every export of the same stored run. */
  origin: string;
  /** Rows per table and files carried (fine-tune data, adapters, the task file). */
  counts: Record<string, number>;
  files: number;
}

/** One piece of a file in `exports/`, base64-encoded. */
export interface ExportChunk {
  filename: string;
  offset: number;
  /** The file's size in bytes. */
  total: number;
  base64: string;
  /** Whether this piece reaches the end of the file. */
  done: boolean;
}

/** A bundle imported into this workspace (or found imported before: `imported` false). */
export interface ImportedRun {
  runId: number;
  experimentId: number;
  imported: boolean;
  /** The run's id in the workspace it was exported from. */
  sourceRunId: number;
  origin: string;
  counts: Record<string, number>;
}

/** A text file to download. */
export interface DownloadFile {
  filename: string;
  mimeType: string;
  text: string;
}

/**
 * A fine-tune job's rows as chat JSONL in the OpenAI fine-tuning format (one
 * `{"messages": [{role, content}, …]}` per line, what TRL, MLX-LM and hosted APIs take), its
 * validation rows if any, and the provenance file mapping each row to its trace.
 */
export interface FinetuneDataFiles {
  jobId: number;
  runId: number;
  rows: number;
  files: DownloadFile[];
}

/** A file the API wrote into the workspace's exports folder (read it with readExportChunk). */
export interface ExportedFile {
  filename: string;
  bytes: number;
}
