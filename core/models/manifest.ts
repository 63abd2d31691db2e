// tandem-model.json: the small file that makes a folder of the model library an entry.
//
//   linked  {"format":1,"source":"local","path":"/abs/checkpoint","addedAt":…}   (no weights here;
//           the checkpoint stays where the user keeps it)
//   copied  {"format":1,"source":"local","copiedFrom":"/abs/checkpoint","addedAt":…} (files here)
//   pulled  {"format":1,"source":"pulled","repo":"org/name","revision":"main","sha":"<commit>",
//           "endpoint":"https://huggingface.co","files":[{name,size,sha256,…}],"addedAt":…}
//
// A pointer file instead of a symlink: it works the same on every OS (Windows needs privileges
// for symlinks), survives copying the workspace, and records where the model came from.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const MANIFEST_FILE = 'tandem-model.json';

export interface ManifestFile {
  /** Path relative to the model folder. */
  name: string;
  size: number;
  /** SHA-256 of the file as stored (always computed on download). */
  sha256: string;
  /** Git blob SHA-1 the hub declared for a non-LFS file, when it did. */
  gitSha1?: string;
  /** True when the hub stores the file in LFS (its sha256 then came from the hub). */
  lfs: boolean;
}

export interface ModelManifest {
  format: 1;
  source: 'local' | 'pulled';
  addedAt: string;
  /** Linked local model: the checkpoint folder this entry points at (absolute). */
  path?: string;
  /** Copied local model: where the files were copied from. */
  copiedFrom?: string;
  /** Pulled model: hub repo id, requested revision, resolved commit, endpoint and verified files. */
  repo?: string;
  revision?: string;
  sha?: string;
  endpoint?: string;
  files?: ManifestFile[];
}

/** Reads a manifest; null when the folder has none. Throws an Error when it exists but is unreadable. */
export function readManifest(dir: string): ModelManifest | null {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const m = parsed as Partial<ModelManifest> | null;
  if (!m || typeof m !== 'object' || (m.source !== 'local' && m.source !== 'pulled')) {
    throw new Error(`${file} is not a Tandem model manifest (it needs "source": "local" or "pulled")`);
  }
  if (m.path !== undefined && typeof m.path !== 'string') throw new Error(`${file}: "path" must be a string`);
  return { ...m, format: 1, source: m.source, addedAt: typeof m.addedAt === 'string' ? m.addedAt : '' };
}

/** Writes a manifest through a temporary file and a rename, so readers never see half of it. */
export function writeManifest(dir: string, manifest: ModelManifest): void {
  const file = path.join(dir, MANIFEST_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temp, file);
}
