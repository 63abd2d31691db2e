// The model library: a folder of the workspace (default <workspace>/models, beside the database)
// holding one folder per model, plus the embedded models shipped under resources/models/.
//
// Every library folder carries a tandem-model.json (see manifest.ts). `addModel` registers a
// checkpoint by writing a pointer to it (default) or by copying it; `pullModel` (hub-pull.ts)
// downloads one. A checkpoint folder dropped into the library by hand is listed as 'local' too.
// Work in progress lives under <library>/.incomplete/ and is moved into place by a rename.

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ModelEntry, ModelSource } from '../contract/models.ts';
import { resourcesDir } from '../util/resources-path.ts';
import { inspectCheckpoint, type CheckpointInfo } from './checkpoint.ts';
import { checkpointFilesToCopy, copyFilesWithProgress, type TransferProgress } from './copy-files.ts';
import { ModelLibraryError } from './errors.ts';
import { readManifest, writeManifest, type ModelManifest } from './manifest.ts';

export type { ModelEntry, ModelSource };

export interface ModelLibraryOptions {
  /** The library folder (created on the first add or pull). */
  dir: string;
  /** Where embedded models live; default <resources>/models; null lists none. */
  embeddedDir?: string | null;
}

export interface AddModelOptions {
  /** Library name; default the folder's name. */
  name?: string;
  /** Copy the files into the library instead of registering a pointer to the folder. */
  copy?: boolean;
  onProgress?: (progress: TransferProgress) => void;
  signal?: AbortSignal;
}

export const MODELS_FOLDER = 'models';
export const STAGING_FOLDER = '.incomplete';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The default library of a workspace: <workspace>/models. */
export function defaultModelLibraryDir(workspaceDir: string): string {
  return path.join(path.resolve(workspaceDir), MODELS_FOLDER);
}

/** resources/models when the bundled resources can be found, else null. */
export function embeddedModelsDir(): string | null {
  try {
    return path.join(resourcesDir(), 'models');
  } catch {
    return null;
  }
}

export function isValidModelName(name: string): boolean {
  return NAME_PATTERN.test(name) && !name.endsWith('.') && name !== STAGING_FOLDER;
}

/** Throws 'invalid-argument' unless `name` is usable as a library name. */
export function checkModelName(name: string): string {
  if (!isValidModelName(name)) {
    throw new ModelLibraryError(
      'invalid-argument',
      `"${name}" cannot be a model name: use letters, digits, ".", "_" and "-", starting with a letter or digit (at most 128 characters)`,
    );
  }
  return name;
}

/** A usable default name from a folder or repo name: unusable characters become "-". */
export function modelNameFrom(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/\.+$/, '').slice(0, 128);
  return cleaned === '' ? 'model' : cleaned;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function entryFrom(name: string, source: ModelSource, target: string, info: CheckpointInfo | null, extra: Partial<ModelEntry>): ModelEntry {
  return {
    name,
    path: target,
    source,
    architecture: info?.architecture ?? null,
    parameters: info?.parameters ?? null,
    sizeBytes: info?.sizeBytes ?? 0,
    dtype: info?.dtype ?? null,
    hasChatTemplate: info?.hasChatTemplate ?? false,
    linked: false,
    ...extra,
  };
}

function describeFolder(name: string, folder: string, source: ModelSource, manifest: ModelManifest | null): ModelEntry {
  const target = manifest?.path ?? folder;
  const extra: Partial<ModelEntry> = { linked: manifest?.path !== undefined };
  if (manifest?.repo !== undefined) extra.repo = manifest.repo;
  if (manifest?.revision !== undefined) extra.revision = manifest.revision;
  if (manifest?.sha !== undefined) extra.sha = manifest.sha;
  if (manifest?.path !== undefined && !existsSync(target)) {
    return entryFrom(name, source, target, null, { ...extra, problem: `points at ${target}, which no longer exists (re-add the model, or remove ${folder})` });
  }
  try {
    return entryFrom(name, source, target, inspectCheckpoint(target), extra);
  } catch (error) {
    if (!(error instanceof ModelLibraryError)) throw error;
    return entryFrom(name, source, target, null, { ...extra, problem: error.message });
  }
}

export class ModelLibrary {
  readonly dir: string;
  readonly embeddedDir: string | null;

  constructor(options: ModelLibraryOptions | string) {
    const opts = typeof options === 'string' ? { dir: options } : options;
    this.dir = path.resolve(opts.dir);
    this.embeddedDir = opts.embeddedDir === undefined ? embeddedModelsDir() : opts.embeddedDir === null ? null : path.resolve(opts.embeddedDir);
  }

  /** The folder of a library entry (whether or not it exists). */
  entryDir(name: string): string {
    return path.join(this.dir, checkModelName(name));
  }

  /** Where unfinished adds and pulls are kept until they are moved into place. */
  get stagingRoot(): string {
    return path.join(this.dir, STAGING_FOLDER);
  }

  /** Embedded models first, then the library's, each sorted by name. Never throws for a broken entry: it carries `problem`. */
  listModels(): ModelEntry[] {
    return [...this.listEmbedded(), ...this.listLibrary()];
  }

  getModel(name: string): ModelEntry | undefined {
    return this.listLibrary().find((e) => e.name === name) ?? this.listEmbedded().find((e) => e.name === name);
  }

  /** True when `name` is an embedded model's name (such names cannot be reused in the library). */
  isEmbeddedName(name: string): boolean {
    return this.embeddedDir !== null && isDirectory(path.join(this.embeddedDir, name));
  }

  /**
   * The checkpoint folder for a model name, a pulled model's repo id, or a folder path (accepted
   * as it is). Unknown names are a ModelLibraryError listing the known ones.
   */
  resolveModel(nameOrDir: string): string {
    const entries = this.listModels();
    const byName = entries.find((e) => e.name === nameOrDir);
    const byRepo = byName ? undefined : entries.filter((e) => e.repo === nameOrDir);
    const entry = byName ?? (byRepo && byRepo.length === 1 ? byRepo[0] : undefined);
    if (entry) {
      if (entry.problem) throw new ModelLibraryError('invalid-model', `model "${entry.name}" cannot be used: ${entry.problem}`);
      return entry.path;
    }
    const asPath = path.resolve(nameOrDir);
    if (isDirectory(asPath)) return asPath;
    const known = entries.filter((e) => !e.problem).map((e) => e.name);
    const repoLike = /^[\w.-]+\/[\w.-]+$/.test(nameOrDir);
    const looksLikePath = path.isAbsolute(nameOrDir) || nameOrDir.startsWith('.') || (nameOrDir.includes(path.sep) && !repoLike);
    const what = looksLikePath ? `no model folder at ${asPath}` : `unknown model "${nameOrDir}"`;
    const hint =
      known.length > 0
        ? `known models: ${known.join(', ')}`
        : `the library at ${this.dir} is empty; add one with \`tandem models add <dir>\` or \`tandem models pull <repo id>\``;
    throw new ModelLibraryError('unknown-model', `${what}; ${hint}`);
  }

  /** Validates a checkpoint folder and registers it under `name` (a pointer by default, a copy with `copy`). */
  async addModel(dir: string, options: AddModelOptions = {}): Promise<ModelEntry> {
    const source = path.resolve(dir);
    const info = inspectCheckpoint(source);
    if (path.dirname(source) === this.dir) {
      throw new ModelLibraryError('name-taken', `${source} is already in the library as "${path.basename(source)}"`);
    }
    const name = checkModelName(options.name ?? modelNameFrom(path.basename(source)));
    this.checkNameFree(name);
    const staging = path.join(this.stagingRoot, `add-${name}-${process.pid}-${Date.now()}`);
    mkdirSync(staging, { recursive: true });
    try {
      const addedAt = new Date().toISOString();
      if (options.copy) {
        await copyFilesWithProgress(source, staging, checkpointFilesToCopy(source, info.weightFiles), {
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        writeManifest(staging, { format: 1, source: 'local', copiedFrom: source, addedAt });
      } else {
        writeManifest(staging, { format: 1, source: 'local', path: source, addedAt });
      }
      this.moveIntoPlace(staging, name);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return describeFolder(name, this.entryDir(name), 'local', readManifest(this.entryDir(name)));
  }

  /** Throws 'name-taken' when a library folder or an embedded model already has this name. */
  checkNameFree(name: string): void {
    if (this.isEmbeddedName(name)) {
      throw new ModelLibraryError('name-taken', `"${name}" is the name of an embedded model; choose another name (--name)`);
    }
    const target = this.entryDir(name);
    if (existsSync(target)) {
      throw new ModelLibraryError('name-taken', `a model named "${name}" already exists at ${target}; choose another name (--name)`);
    }
  }

  /** Renames a finished staging folder to <library>/<name>; the target must not exist. */
  moveIntoPlace(staging: string, name: string): void {
    const target = this.entryDir(name);
    try {
      renameSync(staging, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        throw new ModelLibraryError('name-taken', `a model named "${name}" already exists at ${target}; choose another name (--name)`);
      }
      throw error;
    }
  }

  private listLibrary(): ModelEntry[] {
    if (!isDirectory(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort()
      .map((name) => {
        const folder = path.join(this.dir, name);
        let manifest: ModelManifest | null;
        try {
          manifest = readManifest(folder);
        } catch (error) {
          return entryFrom(name, 'local', folder, null, { problem: error instanceof Error ? error.message : String(error) });
        }
        return describeFolder(name, folder, manifest?.source ?? 'local', manifest);
      });
  }

  private listEmbedded(): ModelEntry[] {
    if (this.embeddedDir === null || !isDirectory(this.embeddedDir)) return [];
    return readdirSync(this.embeddedDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort()
      .map((name) => describeFolder(name, path.join(this.embeddedDir!, name), 'embedded', null));
  }
}
