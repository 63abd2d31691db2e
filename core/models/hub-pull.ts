// `pullModel`: downloads a checkpoint from a Hugging Face Hub (or anything that speaks its HTTP
// API) into the model library.
//
//   GET  {endpoint}/api/models/{repo}/revision/{revision}?blobs=true   → commit sha, files, sizes, LFS sha256
//   HEAD {endpoint}/{repo}/resolve/{sha}/{file}   → X-Linked-Etag / ETag, X-Linked-Size / Content-Length
//   GET  {endpoint}/{repo}/resolve/{sha}/{file}   → the bytes (often a 302 to a CDN), Range for resumes
//
// Files are fetched pinned to the resolved commit, one after another, into
// <library>/.incomplete/<name>/ (kept across failures, so running the pull again resumes it); each
// is verified before it gets its real name, and the folder is renamed into the library only when
// every file is verified and tandem-model.json (repo, commit, file hashes) is written.

import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KeyOrigins } from '../lm/key-origins.ts';
import { inspectCheckpoint, SAFETENSORS_INDEX_FILE, shardsOfIndex } from './checkpoint.ts';
import { unsafeRepoFileName } from './repo-file-name.ts';
import { downloadFile, type DownloadContext, type DownloadedFile, type RemoteFile } from './download-file.ts';
import { ModelLibraryError } from './errors.ts';
import { DEFAULT_ALLOW_PATTERNS, matchesAny } from './file-patterns.ts';
import { createAgents, destroyAgents, hubRequest, statusError, withRetries, type HubContext, type RetryPolicy } from './hub-http.ts';
import { HEX40, HEX64, withHeadMetadata } from './hub-metadata.ts';
import { ProgressMeter } from './progress-meter.ts';
import { lockStaging } from './staging-lock.ts';
import { readManifest, writeManifest, type ManifestFile } from './manifest.ts';
import { checkModelName, ModelLibrary, modelNameFrom, type ModelEntry } from './model-library.ts';
import type { PullEvent, PullProgress } from './pull-events.ts';

export type { PullEvent, PullProgress } from './pull-events.ts';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface PullOptions {
  /** The library to pull into (a ModelLibrary or its folder). */
  library: ModelLibrary | string;
  /** Library name; default the repo's name (the part after "/"). */
  name?: string;
  /** Hub URL; default $HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Branch, tag or commit; default "main". */
  revision?: string;
  /** Access token for gated and private repos; default $HF_TOKEN. Sent to the endpoint only. */
  token?: string;
  /** Which repo files to take (see file-patterns.ts); default DEFAULT_ALLOW_PATTERNS. */
  allowPatterns?: readonly string[];
  /** Where HF_ENDPOINT and HF_TOKEN are read from; default process.env. */
  env?: Record<string, string | undefined>;
  onProgress?: (progress: PullProgress) => void;
  onEvent?: (event: PullEvent) => void;
  /** Aborting stops the pull; what was downloaded stays for the next attempt. */
  signal?: AbortSignal;
  /** Retries per request, or per file in a row without new bytes (default 5). */
  maxRetries?: number;
  /** First backoff delay in ms, doubling each retry (default 1000). */
  retryDelayMs?: number;
  /** Cap on a backoff delay and on a server's Retry-After, in ms (default 30000). */
  maxRetryDelayMs?: number;
  /** A connection may be idle this long before it counts as failed, in ms (default 60000). */
  timeoutMs?: number;
  /** Least time between two progress reports, in ms (default 100). */
  progressIntervalMs?: number;
  /** Take files the hub declares no hash for (they cannot be verified); default refused. */
  allowUnverified?: boolean;
  /** Largest file taken when the hub declares no size (default 64 MiB). */
  maxUndeclaredBytes?: number;
}

export interface PullResult {
  name: string;
  /** The model folder in the library. */
  path: string;
  repo: string;
  revision: string;
  /** The commit the files came from. */
  sha: string;
  endpoint: string;
  files: ManifestFile[];
  /** Bytes that came over the network in this call. */
  bytesDownloaded: number;
  totalBytes: number;
  seconds: number;
  /** True when the library already held this commit and nothing was downloaded. */
  upToDate: boolean;
  entry: ModelEntry;
}

interface Sibling {
  rfilename: string;
  size?: number;
  blobId?: string;
  lfs?: { sha256?: string; oid?: string; size?: number };
}

const REPO_ID = /^(?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;

function checkRepoId(repo: string): string {
  if (!REPO_ID.test(repo) || repo.includes('..') || repo.includes('--')) {
    throw new ModelLibraryError('invalid-argument', `"${repo}" is not a hub repo id; expected "owner/name", e.g. HuggingFaceTB/SmolLM2-135M-Instruct`);
  }
  return repo;
}

function encodePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * Resolves the endpoint and token the way huggingface_hub does (option, then environment, then
 * default), except that a token from the environment goes only to an origin it is tied to: the
 * default hub, the HF_ENDPOINT the environment names, or TANDEM_KEY_ORIGINS (core/lm/key-origins.ts).
 * An endpoint an API caller names gets no token it did not bring itself.
 */
export function hubSettings(options: Pick<PullOptions, 'endpoint' | 'token' | 'env'>): { endpoint: string; token: string | undefined; withheldToken: string | undefined } {
  const env = options.env ?? process.env;
  const raw = options.endpoint ?? env.HF_ENDPOINT ?? DEFAULT_HUB_ENDPOINT;
  let endpoint: URL;
  try {
    endpoint = new URL(raw);
  } catch {
    throw new ModelLibraryError('invalid-argument', `hub endpoint "${raw}" is not a URL (expected e.g. https://huggingface.co)`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new ModelLibraryError('invalid-argument', `hub endpoint "${raw}" must be an http or https URL`);
  }
  const url = endpoint.toString().replace(/\/+$/, '');
  const given = options.token?.trim();
  if (given) return { endpoint: url, token: given, withheldToken: undefined };
  const variable = HUB_TOKEN_VARIABLES.find((name) => (env[name]?.trim() ?? '') !== '');
  if (variable === undefined) return { endpoint: url, token: undefined, withheldToken: undefined };
  let origins: KeyOrigins;
  try {
    origins = KeyOrigins.fromEnv(env);
  } catch (error) {
    throw new ModelLibraryError('invalid-argument', error instanceof Error ? error.message : String(error));
  }
  return origins.allows(variable, url)
    ? { endpoint: url, token: env[variable]!.trim(), withheldToken: undefined }
    : { endpoint: url, token: undefined, withheldToken: variable };
}

/** Where huggingface_hub reads a token from, in its order. */
const HUB_TOKEN_VARIABLES = ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'] as const;

export async function pullModel(repoId: string, options: PullOptions): Promise<PullResult> {
  const started = Date.now();
  const repo = checkRepoId(repoId.trim());
  const revision = options.revision ?? 'main';
  const { endpoint, token, withheldToken } = hubSettings(options);
  const library = typeof options.library === 'string' ? new ModelLibrary({ dir: options.library }) : options.library;
  const name = checkModelName(options.name ?? modelNameFrom(repo.split('/').pop() ?? repo));
  const signal = options.signal;
  const emit = (event: PullEvent) => options.onEvent?.(event);
  const policy: RetryPolicy = { maxRetries: options.maxRetries ?? 5, baseDelayMs: options.retryDelayMs ?? 1000, maxDelayMs: options.maxRetryDelayMs ?? 30_000 };
  const hub: HubContext = { endpoint, repo, revision, hasToken: token !== undefined, ...(withheldToken ? { withheldToken } : {}) };
  const agents = createAgents();
  const request = { ...(token ? { token } : {}), tokenOrigin: new URL(endpoint).origin, ...(signal ? { signal } : {}), timeoutMs: options.timeoutMs ?? 60_000, agents };
  const onRetry = (file: string | null) => (attempt: number, delayMs: number, reason: string) => emit({ type: 'retry', file, attempt, delayMs, reason });

  // The target name must be free, or hold an earlier pull of the same repo (then it is updated).
  if (library.isEmbeddedName(name)) throw new ModelLibraryError('name-taken', `"${name}" is the name of an embedded model; choose another name (--name)`);
  const target = library.entryDir(name);
  const existing = existsSync(target) ? safeManifest(target) : null;
  if (existsSync(target) && (existing?.source !== 'pulled' || existing.repo !== repo)) {
    throw new ModelLibraryError('name-taken', `a model named "${name}" already exists at ${target}${existing?.repo ? ` (pulled from ${existing.repo})` : ''}; choose another name (--name)`);
  }

  try {
    // 1. The commit and its files.
    const info = await withRetries(
      `reading ${repo}@${revision} from ${endpoint}`,
      async () => {
        const response = await hubRequest(`${endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`, { ...request, method: 'GET', follow: 'all' });
        if (response.status !== 200) throw await statusError(response, hub);
        const text = await response.text(32 * 1024 * 1024);
        try {
          return JSON.parse(text) as { sha?: unknown; siblings?: unknown };
        } catch {
          throw new ModelLibraryError('http', `${endpoint} answered the model info request for ${repo} with something that is not JSON: ${text.slice(0, 120)}`);
        }
      },
      policy,
      signal,
      onRetry(null),
    );
    const sha = typeof info.sha === 'string' ? info.sha : null;
    if (!sha || !Array.isArray(info.siblings)) throw new ModelLibraryError('http', `${endpoint} answered the model info request for ${repo} without "sha" and "siblings"`);
    const allow = matchesAny(options.allowPatterns ?? DEFAULT_ALLOW_PATTERNS);
    // A file name that could write outside the model folder (or fail on another OS) is refused
    // when the pull would take it, and left aside otherwise.
    const siblings = (info.siblings as Sibling[]).filter((s) => {
      if (typeof s?.rfilename !== 'string') return false;
      const unsafe = unsafeRepoFileName(s.rfilename);
      if (unsafe && allow(s.rfilename)) {
        throw new ModelLibraryError('invalid-model', `${repo}@${revision}: the hub lists a file named ${JSON.stringify(s.rfilename.slice(0, 200))}, which is not a safe file name (${unsafe}); nothing was downloaded`);
      }
      return unsafe === null;
    });
    let wanted = siblings.filter((s) => allow(s.rfilename));
    checkRepoHasCheckpoint(repo, revision, siblings, wanted);

    if (existing?.sha === sha && existing.files && checkpointIntact(target)) {
      emit({ type: 'up-to-date', repo, sha, path: target });
      const files = existing.files;
      return finish(library, name, { repo, revision, sha, endpoint, files, bytesDownloaded: 0, started, upToDate: true });
    }

    // 2. Staging, locked against a second pull of the same name, reset if it holds another commit.
    const staging = path.join(library.stagingRoot, name);
    const lock = lockStaging(path.join(library.stagingRoot, `${name}.lock`), name);
    try {
      const stateFile = path.join(staging, '.pull.json');
      const state = readJson(stateFile) as { repo?: string; sha?: string } | null;
      if (state && (state.repo !== repo || state.sha !== sha)) rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      writeFileSync(stateFile, JSON.stringify({ repo, sha, revision, endpoint }));

      const remoteOf = (s: Sibling): RemoteFile => ({
        name: s.rfilename,
        url: `${endpoint}/${repo}/resolve/${encodeURIComponent(sha)}/${encodePath(s.rfilename)}`,
        size: typeof s.lfs?.size === 'number' ? s.lfs.size : typeof s.size === 'number' ? s.size : null,
        sha256: typeof s.lfs?.sha256 === 'string' && HEX64.test(s.lfs.sha256) ? s.lfs.sha256 : null,
        gitSha1: !s.lfs && typeof s.blobId === 'string' && HEX40.test(s.blobId) ? s.blobId : null,
        lfs: s.lfs !== undefined && s.lfs !== null,
      });

      const meter = new ProgressMeter(options.progressIntervalMs ?? 100, options.onProgress);
      const downloaded: DownloadedFile[] = [];
      const context: DownloadContext = {
        request,
        hub,
        retry: policy,
        onBytes: (file, done, total, transferred) => meter.bytes(file, done, total, transferred),
        onEvent: emit,
        ...(options.allowUnverified ? { allowUnverified: true } : {}),
        ...(options.maxUndeclaredBytes !== undefined ? { maxUndeclaredBytes: options.maxUndeclaredBytes } : {}),
      };
      const fetchFile = async (remote: RemoteFile) => {
        emit({ type: 'file-start', file: remote.name, size: remote.size });
        if (existing?.repo === repo) reuseUnchanged(remote, target, existing.files ?? [], staging);
        const file = await downloadFile(remote, staging, context);
        downloaded.push(file);
        meter.filesDone++;
        meter.bytes(file.name, file.size, file.size, 0, true);
        emit({ type: 'file-done', file: file.name, size: file.size, sha256: file.sha256, downloaded: file.downloaded, reused: file.reused });
      };

      // 3. A sharded checkpoint: read the index first and take only the shards it names (some
      //    repos also carry a consolidated copy of the same weights).
      const index = wanted.find((s) => s.rfilename === SAFETENSORS_INDEX_FILE);
      let indexRemote: RemoteFile | null = null;
      if (index) {
        indexRemote = await withHeadMetadata(remoteOf(index), request, hub, policy, signal, onRetry(index.rfilename));
        meter.setTotals(indexRemote.size ?? 0, 1);
        await fetchFile(indexRemote);
        let shards: string[];
        try {
          shards = shardsOfIndex(readFileSync(path.join(staging, SAFETENSORS_INDEX_FILE), 'utf8'));
        } catch (error) {
          throw new ModelLibraryError('invalid-model', `${repo}@${revision}: ${SAFETENSORS_INDEX_FILE} is unreadable (${error instanceof Error ? error.message : String(error)})`);
        }
        const present = new Map(siblings.map((s) => [s.rfilename, s]));
        const missing = shards.filter((s) => !present.has(s));
        if (missing.length > 0) throw new ModelLibraryError('invalid-model', `${repo}@${revision}: ${SAFETENSORS_INDEX_FILE} names shards the repo does not have: ${missing.join(', ')}`);
        const shardSet = new Set(shards);
        wanted = wanted.filter((s) => {
          if (s.rfilename === SAFETENSORS_INDEX_FILE) return false;
          if (!s.rfilename.endsWith('.safetensors') || shardSet.has(s.rfilename)) return true;
          emit({ type: 'skip', file: s.rfilename, reason: `not named by ${SAFETENSORS_INDEX_FILE}` });
          return false;
        });
        for (const shard of shards) if (!wanted.some((s) => s.rfilename === shard)) wanted.push(present.get(shard)!);
      }

      // 4. Metadata for every file (a HEAD fills in what the listing lacked), then the downloads.
      const remotes: RemoteFile[] = [];
      for (const s of wanted) remotes.push(await withHeadMetadata(remoteOf(s), request, hub, policy, signal, onRetry(s.rfilename)));
      const all = [...(indexRemote ? [indexRemote] : []), ...remotes].map((r) => ({ name: r.name, size: r.size }));
      const totalBytes = all.reduce((sum, f) => sum + (f.size ?? 0), 0);
      meter.setTotals(totalBytes, all.length);
      emit({ type: 'resolved', repo, revision, sha, files: all, totalBytes });
      for (const remote of remotes) await fetchFile(remote);

      // 5. Manifest, a last check that the folder is a checkpoint, and the move into the library.
      const files: ManifestFile[] = downloaded.map((d) => ({ name: d.name, size: d.size, sha256: d.sha256, ...(d.gitSha1 ? { gitSha1: d.gitSha1 } : {}), lfs: d.lfs }));
      rmSync(stateFile, { force: true });
      writeManifest(staging, { format: 1, source: 'pulled', repo, revision, sha, endpoint, files, addedAt: new Date().toISOString() });
      inspectCheckpoint(staging);
      if (existsSync(target)) {
        const old = path.join(library.stagingRoot, `${name}.replaced-${Date.now()}`);
        renameSync(target, old);
        library.moveIntoPlace(staging, name);
        rmSync(old, { recursive: true, force: true });
      } else {
        library.moveIntoPlace(staging, name);
      }
      const bytesDownloaded = downloaded.reduce((sum, d) => sum + d.downloaded, 0);
      return finish(library, name, { repo, revision, sha, endpoint, files, bytesDownloaded, started, upToDate: false });
    } finally {
      lock.release();
    }
  } finally {
    destroyAgents(agents);
  }
}

function finish(
  library: ModelLibrary,
  name: string,
  r: { repo: string; revision: string; sha: string; endpoint: string; files: ManifestFile[]; bytesDownloaded: number; started: number; upToDate: boolean },
): PullResult {
  const entry = library.getModel(name);
  if (!entry) throw new ModelLibraryError('invalid-model', `the pulled model "${name}" is not in ${library.dir}`);
  return {
    name,
    path: entry.path,
    repo: r.repo,
    revision: r.revision,
    sha: r.sha,
    endpoint: r.endpoint,
    files: r.files,
    bytesDownloaded: r.bytesDownloaded,
    totalBytes: r.files.reduce((sum, f) => sum + f.size, 0),
    seconds: (Date.now() - r.started) / 1000,
    upToDate: r.upToDate,
    entry,
  };
}

/**
 * When updating a pulled model to a new commit, a file whose hash did not change is linked (or
 * copied) from the current folder into staging instead of downloaded; downloadFile still
 * verifies it before it is used.
 */
function reuseUnchanged(remote: RemoteFile, currentDir: string, currentFiles: ManifestFile[], staging: string): void {
  const known = currentFiles.find((f) => f.name === remote.name);
  const same = known && ((remote.sha256 !== null && known.sha256 === remote.sha256) || (remote.gitSha1 !== null && known.gitSha1 === remote.gitSha1));
  const from = path.join(currentDir, remote.name);
  const to = path.join(staging, remote.name);
  if (!same || existsSync(to) || !existsSync(from)) return;
  mkdirSync(path.dirname(to), { recursive: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function checkRepoHasCheckpoint(repo: string, revision: string, siblings: Sibling[], wanted: Sibling[]): void {
  const names = new Set(wanted.map((s) => s.rfilename));
  const missing: string[] = [];
  if (!names.has('config.json')) missing.push('config.json');
  if (![...names].some((n) => n.endsWith('.safetensors'))) {
    const other = siblings.map((s) => s.rfilename).filter((n) => /\.(bin|pt|pth|gguf)$/.test(n));
    missing.push(other.length > 0 ? `*.safetensors weights (it has ${other.slice(0, 3).join(', ')}; Tandem reads safetensors only)` : '*.safetensors weights');
  }
  if (!names.has('tokenizer.json')) missing.push('tokenizer.json');
  if (missing.length > 0) {
    throw new ModelLibraryError('invalid-model', `${repo}@${revision} is not a checkpoint Tandem can use: the files to download lack ${missing.join(', ')}`);
  }
}

function safeManifest(dir: string) {
  try {
    return readManifest(dir);
  } catch {
    return null;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** True when every file the manifest lists is present with its recorded size. */
function checkpointIntact(dir: string): boolean {
  const manifest = safeManifest(dir);
  if (!manifest?.files) return false;
  try {
    inspectCheckpoint(dir);
  } catch {
    return false;
  }
  return manifest.files.every((f) => statSizeIs(path.join(dir, f.name), f.size));
}

function statSizeIs(file: string, size: number): boolean {
  try {
    return statSync(file).size === size;
  } catch {
    return false;
  }
}
