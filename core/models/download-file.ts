// Downloads one hub file into a folder: to <name>.incomplete, resuming a partial file with a Range
// request, retrying network errors, 5xx and 429, then verifying size, SHA-256 (LFS files) and the
// git blob SHA-1 (small files) before renaming it into place. A file that fails verification is
// deleted, never kept under its real name.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { ModelLibraryError } from './errors.ts';
import {
  abortError,
  describeFailure,
  hubRequest,
  isRetryable,
  retryDelay,
  RetryableError,
  sleep,
  statusError,
  type HubContext,
  type HubRequestOptions,
  type RetryPolicy,
} from './hub-http.ts';
import type { PullEvent } from './pull-events.ts';

export interface RemoteFile {
  /** Path in the repo (and in the model folder). */
  name: string;
  /** The resolve URL, pinned to the commit. */
  url: string;
  size: number | null;
  /** LFS files: the SHA-256 the hub declares. */
  sha256: string | null;
  /** Non-LFS files: the git blob SHA-1 the hub declares. */
  gitSha1: string | null;
  lfs: boolean;
}

export interface DownloadContext {
  request: Omit<HubRequestOptions, 'method' | 'headers' | 'follow'>;
  hub: HubContext;
  retry: RetryPolicy;
  /** Bytes of `file` on disk so far (may go down on a restart), and how many just arrived over the network. */
  onBytes(file: string, bytesDone: number, bytesTotal: number | null, transferred: number): void;
  onEvent(event: PullEvent): void;
  /** Largest file taken when the hub declares no size (default UNDECLARED_SIZE_CAP). */
  maxUndeclaredBytes?: number;
  /** Take files the hub declares no hash for (nothing to verify them against); default refused. */
  allowUnverified?: boolean;
}

/** A file the hub gives no size for is a small one (configs, tokenizers); past this it is refused. */
export const UNDECLARED_SIZE_CAP = 64 * 1024 * 1024;

export interface DownloadedFile {
  name: string;
  size: number;
  sha256: string;
  gitSha1?: string;
  lfs: boolean;
  /** Bytes that came over the network for this file in this call. */
  downloaded: number;
  /** True when a verified copy from an earlier, interrupted pull was reused. */
  reused: boolean;
}

export function partialPath(finalPath: string): string {
  return `${finalPath}.incomplete`;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function hashInto(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashInto(file, hash);
  return hash.digest('hex');
}

/** The id git gives a file's content: SHA-1 of "blob <size>\0" and the bytes. */
export async function gitBlobSha1(file: string): Promise<string> {
  const hash = createHash('sha1');
  hash.update(`blob ${sizeOf(file)}\0`);
  await hashInto(file, hash);
  return hash.digest('hex');
}

/** "bytes 100-199/1000" → {start: 100, end: 199, total: 1000}; total null for "*". */
export function parseContentRange(value: string | null): { start: number; end: number; total: number | null } | null {
  const match = value ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value.trim()) : null;
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === '*' ? null : Number(match[3]) };
}

/** Checks size and hashes against what the hub declared; returns the problems found (none: verified). */
async function verify(file: string, remote: RemoteFile, sha256: string): Promise<{ problems: string[]; gitSha1?: string }> {
  const problems: string[] = [];
  const size = sizeOf(file);
  if (remote.size !== null && size !== remote.size) problems.push(`expected ${remote.size} bytes, got ${size}`);
  if (remote.sha256 !== null && sha256 !== remote.sha256) problems.push(`expected sha256 ${remote.sha256}, got ${sha256}`);
  let gitSha1: string | undefined;
  if (remote.gitSha1 !== null && !remote.lfs) {
    gitSha1 = await gitBlobSha1(file);
    if (gitSha1 !== remote.gitSha1) problems.push(`expected git blob sha1 ${remote.gitSha1}, got ${gitSha1}`);
  }
  return gitSha1 === undefined ? { problems } : { problems, gitSha1 };
}

export async function downloadFile(remote: RemoteFile, dir: string, ctx: DownloadContext): Promise<DownloadedFile> {
  const finalPath = path.resolve(dir, remote.name);
  // The name was checked (repo-file-name.ts); the resolved path is checked too, on this OS.
  const relative = path.relative(path.resolve(dir), finalPath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new ModelLibraryError('invalid-model', `${ctx.hub.repo}: the file ${JSON.stringify(remote.name)} would be written outside the model folder; refused`);
  }
  if (remote.sha256 === null && remote.gitSha1 === null && !ctx.allowUnverified) {
    throw new ModelLibraryError(
      'invalid-model',
      `${ctx.hub.repo}@${ctx.hub.revision}: the hub declares no hash for ${remote.name}, so its bytes cannot be verified; refused (pull with allowUnverified to take it anyway)`,
    );
  }
  const sizeCap = remote.size === null ? (ctx.maxUndeclaredBytes ?? UNDECLARED_SIZE_CAP) : null;
  const partPath = partialPath(finalPath);
  const signal = ctx.request.signal;
  mkdirSync(path.dirname(finalPath), { recursive: true });

  // A verified file from an earlier, interrupted pull of the same commit.
  if (existsSync(finalPath)) {
    const sha256 = await sha256OfFile(finalPath);
    const check = await verify(finalPath, remote, sha256);
    const size = sizeOf(finalPath);
    if (check.problems.length === 0) {
      ctx.onBytes(remote.name, size, size, 0);
      return { name: remote.name, size, sha256, ...(check.gitSha1 ? { gitSha1: check.gitSha1 } : {}), lfs: remote.lfs, downloaded: 0, reused: true };
    }
    rmSync(finalPath, { force: true });
  }

  let carried: { hash: Hash; size: number } | null = null;
  let failures = 0;
  let downloaded = 0;
  const restart = (reason: string) => {
    rmSync(partPath, { force: true });
    carried = null;
    ctx.onEvent({ type: 'restart', file: remote.name, reason });
    ctx.onBytes(remote.name, 0, remote.size, 0);
  };

  for (;;) {
    if (signal?.aborted) throw abortError(signal);
    let offset = sizeOf(partPath);
    if (remote.size !== null && offset > remote.size) {
      restart(`the partial file (${offset} bytes) is larger than the file on the hub (${remote.size} bytes)`);
      offset = 0;
    }
    if (remote.size !== null && offset === remote.size && (offset > 0 || existsSync(partPath))) break;

    let hash: Hash;
    const previous = carried as { hash: Hash; size: number } | null;
    if (previous && previous.size === offset) {
      hash = previous.hash;
    } else {
      hash = createHash('sha256');
      if (offset > 0) await hashInto(partPath, hash);
    }
    const state = { hash, size: offset };
    carried = state;
    ctx.onBytes(remote.name, offset, remote.size, 0);

    let received = 0;
    try {
      if (offset > 0) ctx.onEvent({ type: 'resume', file: remote.name, from: offset });
      const response = await hubRequest(remote.url, { ...ctx.request, method: 'GET', headers: offset > 0 ? { range: `bytes=${offset}-` } : {}, follow: 'all' });
      let append: boolean;
      let total = remote.size;
      if (response.status === 206) {
        const range = parseContentRange(response.header('content-range'));
        if (!range || range.start !== offset) {
          response.discard();
          restart(`the server answered a different range (${response.header('content-range') ?? 'no Content-Range'}) than the ${offset} bytes already here`);
          continue;
        }
        append = offset > 0;
        total ??= range.total;
      } else if (response.status === 200) {
        if (offset > 0) {
          ctx.onEvent({ type: 'restart', file: remote.name, reason: 'the server ignored the Range request (HTTP 200), downloading the whole file again' });
          state.hash = createHash('sha256');
          state.size = 0;
          offset = 0;
          ctx.onBytes(remote.name, 0, remote.size, 0);
        }
        append = false;
        const length = Number(response.header('content-length') ?? NaN);
        if (total === null && Number.isInteger(length)) total = length;
      } else if (response.status === 416 && offset > 0) {
        response.discard();
        restart(`the server refused to resume at byte ${offset} (HTTP 416)`);
        continue;
      } else {
        throw await statusError(response, ctx.hub, remote.name);
      }

      const handle = await open(partPath, append ? 'a' : 'w').catch((error: unknown) => {
        throw ioError(partPath, error);
      });
      const onAbort = () => response.body.destroy(abortError(signal));
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          await handle.write(chunk).catch((error: unknown) => {
            throw ioError(partPath, error);
          });
          state.hash.update(chunk);
          offset += chunk.length;
          if (sizeCap !== null && offset > sizeCap) {
            throw new ModelLibraryError('invalid-model', `${ctx.hub.repo}: the hub declares no size for ${remote.name} and it passed ${sizeCap} bytes; refused`);
          }
          state.size = offset;
          received += chunk.length;
          downloaded += chunk.length;
          ctx.onBytes(remote.name, offset, total, chunk.length);
        }
        await handle.datasync().catch(() => undefined);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        await handle.close();
      }
      if (!response.body.complete || (total !== null && offset < total)) {
        throw new RetryableError(`the connection closed after ${offset}${total !== null ? ` of ${total}` : ''} bytes`);
      }
      break;
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (sizeCap !== null && offset > sizeCap) rmSync(partPath, { force: true });
      if (!isRetryable(error, signal)) throw error;
      failures = received > 0 ? 1 : failures + 1;
      const reason = describeFailure(error);
      if (failures > ctx.retry.maxRetries) {
        const have = sizeOf(partPath);
        throw new ModelLibraryError(
          error instanceof RetryableError && /^HTTP \d/.test(error.message) ? 'http' : 'network',
          `downloading ${remote.name} failed after ${failures} attempts in a row: ${reason}` +
            (have > 0 ? `; ${have} bytes are kept, run the same command again to resume` : ''),
          { cause: error },
        );
      }
      const delayMs = retryDelay(failures, ctx.retry, error instanceof RetryableError ? error.retryAfterMs : undefined);
      ctx.onEvent({ type: 'retry', file: remote.name, attempt: failures, delayMs, reason });
      await sleep(delayMs, signal);
    }
  }

  const size = sizeOf(partPath);
  const final = carried as { hash: Hash; size: number } | null;
  const sha256 = final && final.size === size ? final.hash.digest('hex') : await sha256OfFile(partPath);
  const check = await verify(partPath, remote, sha256);
  if (check.problems.length > 0) {
    rmSync(partPath, { force: true });
    throw new ModelLibraryError(
      'verification-failed',
      `${remote.name} from ${ctx.hub.repo}@${ctx.hub.revision} failed verification: ${check.problems.join('; ')}. ` +
        'The download was deleted; run the command again, and if it fails the same way the hub (or a proxy) is serving other bytes than it declares',
    );
  }
  renameSync(partPath, finalPath);
  return { name: remote.name, size, sha256, ...(check.gitSha1 ? { gitSha1: check.gitSha1 } : {}), lfs: remote.lfs, downloaded, reused: false };
}

function ioError(file: string, error: unknown): ModelLibraryError {
  return new ModelLibraryError('io', `cannot write ${file}: ${describeFailure(error)}`, { cause: error });
}
