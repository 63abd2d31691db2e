// `pullModel` and `tandem models` against a fake Hugging Face Hub on 127.0.0.1 (real HTTP, real
// files): full downloads with verification, resumes with Range, servers that ignore Range,
// corrupted bytes, gated and missing repos, retries on 500/429, sharded checkpoints.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerModelsCommand, type ModelsCommandIO } from '../../core/cli/commands/models.ts';
import { ModelLibraryError } from '../../core/models/errors.ts';
import { pullModel, type PullEvent, type PullOptions, type PullProgress } from '../../core/models/hub-pull.ts';
import { MANIFEST_FILE, readManifest } from '../../core/models/manifest.ts';
import { ModelLibrary } from '../../core/models/model-library.ts';
import { FakeHub } from '../fixtures/fake-hub-server.ts';
import { runCli } from '../helpers/cli.ts';
import { checkpointFiles, tempDir, type Files } from '../unit/models/helpers.ts';

const TINY = 'tiny-org/tiny-llama';
const SHARDED = 'tiny-org/tiny-sharded';
const GATED = 'secret-org/gated-llama';
const PT_ONLY = 'tiny-org/pytorch-only';
const GATE_TOKEN = 'hf_test_token';

let hub: FakeHub;
let root: string;
let library: ModelLibrary;
let tinyFiles: Files;
let shardedFiles: Files;

beforeAll(async () => {
  // A weight file big enough to be cut mid-way and resumed (about 200 KB).
  tinyFiles = checkpointFiles({ config: { ...JSON.parse(checkpointFiles()['config.json'] as string), vocab_size: 1024, hidden_size: 32 } });
  shardedFiles = { ...checkpointFiles({ sharded: true, seed: 7 }), 'consolidated.safetensors': Buffer.alloc(1000, 1), 'README.md': '# tiny', 'pytorch_model.bin': 'x' };
  hub = await FakeHub.start([
    { id: TINY, files: tinyFiles },
    { id: SHARDED, files: shardedFiles },
    { id: GATED, files: checkpointFiles({ seed: 3 }), gatedToken: GATE_TOKEN },
    { id: PT_ONLY, files: { 'config.json': '{}', 'tokenizer.json': '{}', 'pytorch_model.bin': 'x' } },
  ]);
  root = tempDir('tandem-pull-');
});

afterAll(async () => {
  await hub?.close();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  hub.setFaults([]);
  hub.clearRequests();
  library = new ModelLibrary({ dir: path.join(root, `lib-${Math.random().toString(36).slice(2)}`), embeddedDir: null });
});

interface Pulled {
  events: PullEvent[];
  progress: PullProgress[];
}

function options(extra: Partial<PullOptions> = {}, log: Pulled = { events: [], progress: [] }): PullOptions {
  return {
    library,
    endpoint: hub.endpoint,
    env: {},
    retryDelayMs: 5,
    onEvent: (e) => log.events.push(e),
    onProgress: (p) => log.progress.push(p),
    progressIntervalMs: 0,
    ...extra,
  };
}

async function pullError(repo: string, extra: Partial<PullOptions> = {}): Promise<ModelLibraryError> {
  const error = await pullModel(repo, options(extra)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelLibraryError);
  return error as ModelLibraryError;
}

const weights = () => tinyFiles['model.safetensors'] as Buffer;

/** Byte equality without vitest's element-by-element diff of large buffers (slow). */
function expectBytes(file: string, content: Buffer | string): void {
  const actual = readFileSync(file);
  expect(actual.equals(Buffer.from(content)), `${file} differs from what the hub serves`).toBe(true);
}

describe('pullModel', () => {
  it('downloads a checkpoint, verifies it and registers it with its provenance', async () => {
    const log: Pulled = { events: [], progress: [] };
    const result = await pullModel(TINY, options({ token: 'hf_not_needed' }, log));
    const repo = hub.repo(TINY);
    expect(result).toMatchObject({ name: 'tiny-llama', repo: TINY, revision: 'main', sha: repo.sha, upToDate: false, endpoint: hub.endpoint });
    expect(result.path).toBe(path.join(library.dir, 'tiny-llama'));
    for (const [name, content] of Object.entries(tinyFiles)) expectBytes(path.join(result.path, name), Buffer.from(content));
    expect(result.bytesDownloaded).toBe(result.totalBytes);

    const manifest = readManifest(result.path)!;
    expect(manifest).toMatchObject({ source: 'pulled', repo: TINY, revision: 'main', sha: repo.sha, endpoint: hub.endpoint });
    const weightRecord = manifest.files!.find((f) => f.name === 'model.safetensors')!;
    expect(weightRecord).toMatchObject({ lfs: true, size: weights().length, sha256: repo.files.get('model.safetensors')!.sha256 });
    expect(manifest.files!.find((f) => f.name === 'config.json')).toMatchObject({ lfs: false, gitSha1: repo.files.get('config.json')!.gitSha1 });

    expect(library.listModels()).toEqual([result.entry]);
    expect(result.entry).toMatchObject({ name: 'tiny-llama', source: 'pulled', repo: TINY, sha: repo.sha, architecture: 'LlamaForCausalLM', hasChatTemplate: true });
    expect(library.resolveModel(TINY)).toBe(result.path);

    // The API was asked for blob metadata, files were fetched pinned to the commit, LFS files via
    // the CDN redirect, and the token went to the hub only.
    expect(hub.requests[0]).toMatchObject({ method: 'GET', path: `/api/models/${TINY}/revision/main?blobs=true` });
    expect(hub.requests.filter((r) => r.method === 'HEAD')).toHaveLength(Object.keys(tinyFiles).length);
    const weightGets = hub.requests.filter((r) => r.method === 'GET' && r.file === 'model.safetensors');
    expect(weightGets.map((r) => [r.server, r.status])).toEqual([
      ['hub', 302],
      ['cdn', 200],
    ]);
    expect(weightGets[0]!.path).toContain(`/resolve/${repo.sha}/`);
    expect(hub.requests.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_not_needed')).toBe(true);
    expect(hub.requests.filter((r) => r.server === 'cdn').every((r) => r.authorization === null)).toBe(true);

    // Progress never goes backwards here and ends at the total.
    const overall = log.progress.map((p) => p.overallDone);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    expect(log.progress.at(-1)).toMatchObject({ overallDone: result.totalBytes, overallTotal: result.totalBytes, filesDone: Object.keys(tinyFiles).length });
    expect(log.events.filter((e) => e.type === 'file-done')).toHaveLength(Object.keys(tinyFiles).length);
    // Nothing is left in staging.
    expect(readdirSync(library.stagingRoot)).toEqual([]);

    // Pulling the same commit again downloads nothing.
    hub.clearRequests();
    const again = await pullModel(TINY, options());
    expect(again.upToDate).toBe(true);
    expect(hub.requests.map((r) => r.method + ' ' + r.path)).toEqual([`GET /api/models/${TINY}/revision/main?blobs=true`]);
  });

  it('pulls a sharded checkpoint: the index first, then only the shards it names', async () => {
    const log: Pulled = { events: [], progress: [] };
    const result = await pullModel(SHARDED, options({ name: 'sharded' }, log));
    const names = result.files.map((f) => f.name).sort();
    expect(names).toEqual(
      ['config.json', 'generation_config.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json', 'tokenizer.json', 'tokenizer_config.json'].sort(),
    );
    expect(result.files[0]!.name).toBe('model.safetensors.index.json');
    expect(log.events).toContainEqual({ type: 'skip', file: 'consolidated.safetensors', reason: 'not named by model.safetensors.index.json' });
    expect(hub.requests.some((r) => r.file === 'consolidated.safetensors' || r.file === 'README.md')).toBe(false);
    for (const f of names) expectBytes(path.join(result.path, f), Buffer.from(shardedFiles[f]!));
    expect(result.entry.sizeBytes).toBe((shardedFiles['model-00001-of-00002.safetensors'] as Buffer).length + (shardedFiles['model-00002-of-00002.safetensors'] as Buffer).length);
    expect(result.entry.problem).toBeUndefined();
  });

  it('resumes after a dropped connection from the bytes it kept (Range: bytes=N-)', async () => {
    hub.setFaults([{ kind: 'drop', file: 'model.safetensors', afterBytes: 64 * 1024 }]);
    const log: Pulled = { events: [], progress: [] };
    const result = await pullModel(TINY, options({}, log));
    const gets = hub.contentRequests('model.safetensors');
    expect(gets).toHaveLength(2);
    expect(gets[0]).toMatchObject({ range: null, status: 200, bytesSent: 64 * 1024 });
    const resume = log.events.find((e) => e.type === 'resume') as Extract<PullEvent, { type: 'resume' }>;
    expect(resume.file).toBe('model.safetensors');
    expect(resume.from).toBeGreaterThan(0);
    expect(resume.from).toBeLessThanOrEqual(64 * 1024);
    expect(gets[1]).toMatchObject({ range: `bytes=${resume.from}-`, status: 206, bytesSent: weights().length - resume.from });
    expect(log.events.some((e) => e.type === 'retry' && e.file === 'model.safetensors')).toBe(true);
    expectBytes(path.join(result.path, 'model.safetensors'), weights());
  });

  it('resumes a partial file left by an earlier, interrupted pull from exactly its size', async () => {
    const staging = path.join(library.stagingRoot, 'tiny-llama');
    mkdirSync(staging, { recursive: true });
    writeFileSync(path.join(staging, '.pull.json'), JSON.stringify({ repo: TINY, sha: hub.repo(TINY).sha }));
    writeFileSync(path.join(staging, 'model.safetensors.incomplete'), weights().subarray(0, 12345));
    writeFileSync(path.join(staging, 'config.json'), tinyFiles['config.json']!); // a file finished earlier
    const result = await pullModel(TINY, options());
    expect(hub.contentRequests('model.safetensors')).toEqual([expect.objectContaining({ server: 'cdn', range: 'bytes=12345-', status: 206, bytesSent: weights().length - 12345 })]);
    expect(hub.contentRequests('config.json')).toEqual([]);
    expect(result.files.find((f) => f.name === 'model.safetensors')!.sha256).toBe(hub.repo(TINY).files.get('model.safetensors')!.sha256);
    expectBytes(path.join(result.path, 'model.safetensors'), weights());
  });

  it('starts over when the server answers a Range request with 200', async () => {
    const staging = path.join(library.stagingRoot, 'tiny-llama');
    mkdirSync(staging, { recursive: true });
    writeFileSync(path.join(staging, '.pull.json'), JSON.stringify({ repo: TINY, sha: hub.repo(TINY).sha }));
    writeFileSync(path.join(staging, 'model.safetensors.incomplete'), weights().subarray(0, 5000));
    hub.setFaults([{ kind: 'ignore-range', file: 'model.safetensors' }]);
    const log: Pulled = { events: [], progress: [] };
    const result = await pullModel(TINY, options({}, log));
    expect(hub.contentRequests('model.safetensors')).toEqual([expect.objectContaining({ range: 'bytes=5000-', status: 200, bytesSent: weights().length })]);
    expect(log.events.find((e) => e.type === 'restart')).toMatchObject({ file: 'model.safetensors', reason: expect.stringContaining('HTTP 200') });
    expectBytes(path.join(result.path, 'model.safetensors'), weights());
  });

  it('discards a partial file of another commit', async () => {
    const staging = path.join(library.stagingRoot, 'tiny-llama');
    mkdirSync(staging, { recursive: true });
    writeFileSync(path.join(staging, '.pull.json'), JSON.stringify({ repo: TINY, sha: 'f'.repeat(40) }));
    writeFileSync(path.join(staging, 'model.safetensors.incomplete'), Buffer.alloc(5000, 9));
    const result = await pullModel(TINY, options());
    expect(hub.contentRequests('model.safetensors')[0]!.range).toBeNull();
    expectBytes(path.join(result.path, 'model.safetensors'), weights());
  });

  it('fails on a SHA-256 mismatch, naming the file and both hashes, and keeps no copy of it', async () => {
    hub.setFaults([{ kind: 'corrupt', file: 'model.safetensors', times: 100 }]);
    const error = await pullError(TINY);
    const expected = hub.repo(TINY).files.get('model.safetensors')!.sha256;
    expect(error.code).toBe('verification-failed');
    expect(error.message).toMatch(new RegExp(`^model\\.safetensors from ${TINY}@main failed verification: expected sha256 ${expected}, got [0-9a-f]{64}\\.`));
    const staging = path.join(library.stagingRoot, 'tiny-llama');
    expect(existsSync(path.join(staging, 'model.safetensors'))).toBe(false);
    expect(existsSync(path.join(staging, 'model.safetensors.incomplete'))).toBe(false);
    expect(existsSync(path.join(library.dir, 'tiny-llama'))).toBe(false);
    expect(library.listModels()).toEqual([]);
    // Files verified before the failure stay for the next attempt, which then succeeds.
    hub.setFaults([]);
    hub.clearRequests();
    const result = await pullModel(TINY, options());
    expect(hub.contentRequests('config.json')).toEqual([]);
    expectBytes(path.join(result.path, 'model.safetensors'), weights());
  });

  it('checks the git blob SHA-1 of small files', async () => {
    hub.setFaults([{ kind: 'corrupt', file: 'tokenizer.json', times: 100 }]);
    const error = await pullError(TINY);
    expect(error.code).toBe('verification-failed');
    expect(error.message).toMatch(/^tokenizer\.json from .* expected git blob sha1 [0-9a-f]{40}, got [0-9a-f]{40}/);
  });

  it('verifies with the HEAD metadata alone when the listing has no sizes or hashes', async () => {
    hub.blobs = false;
    try {
      const result = await pullModel(TINY, options());
      const repo = hub.repo(TINY);
      expect(result.files.find((f) => f.name === 'model.safetensors')).toMatchObject({ lfs: true, sha256: repo.files.get('model.safetensors')!.sha256 });
      expect(result.files.find((f) => f.name === 'config.json')).toMatchObject({ lfs: false, gitSha1: repo.files.get('config.json')!.gitSha1 });
      library = new ModelLibrary({ dir: path.join(root, 'lib-noblobs'), embeddedDir: null });
      hub.setFaults([{ kind: 'corrupt', file: 'model.safetensors', times: 100 }]);
      expect((await pullError(TINY)).code).toBe('verification-failed');
    } finally {
      hub.blobs = true;
    }
  });

  it('explains 401 for a gated repo and pulls it with HF_TOKEN, never sending the token to the CDN', async () => {
    const error = await pullError(GATED);
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/secret-org\/gated-llama is gated \(HTTP 401.*\); .*set HF_TOKEN/);
    const refused = await pullError(GATED, { token: 'wrong' });
    expect(refused.message).toMatch(/token in HF_TOKEN .* was refused/);
    hub.clearRequests();
    const result = await pullModel(GATED, options({ env: { HF_TOKEN: GATE_TOKEN, HF_ENDPOINT: hub.endpoint } }));
    expect(result.entry.problem).toBeUndefined();
    expect(hub.requests.filter((r) => r.server === 'hub').every((r) => r.authorization === `Bearer ${GATE_TOKEN}`)).toBe(true);
    expect(hub.requests.filter((r) => r.server === 'cdn').length).toBeGreaterThan(0);
    expect(hub.requests.filter((r) => r.server === 'cdn').every((r) => r.authorization === null)).toBe(true);
  });

  it('finding 1: sends HF_TOKEN only to the default hub or the HF_ENDPOINT of the environment, never to an endpoint an API caller names', async () => {
    hub.clearRequests();
    const error = await pullError(GATED, { env: { HF_TOKEN: GATE_TOKEN } });
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/HF_TOKEN was not sent: it goes only to the default hub, the HF_ENDPOINT/);
    expect(error.message).not.toContain(GATE_TOKEN);
    expect(hub.requests.length).toBeGreaterThan(0);
    expect(hub.requests.every((r) => r.authorization === null)).toBe(true);
    // An HF_ENDPOINT elsewhere does not tie the token to this endpoint either; TANDEM_KEY_ORIGINS does.
    expect((await pullError(GATED, { env: { HF_TOKEN: GATE_TOKEN, HF_ENDPOINT: 'https://mirror.example' } })).code).toBe('unauthorized');
    const listed = await pullModel(GATED, options({ env: { HF_TOKEN: GATE_TOKEN, TANDEM_KEY_ORIGINS: `HF_TOKEN=${hub.endpoint}` } }));
    expect(listed.entry.problem).toBeUndefined();
  });

  it('says "no such repo or revision" for 404s', async () => {
    const missing = await pullError('nobody/nothing');
    expect(missing.code).toBe('not-found');
    expect(missing.message).toBe(`no such repo or revision: nobody/nothing@main on ${hub.endpoint} (if it is private, set HF_TOKEN to an access token that can read it)`);
    const badRevision = await pullError(TINY, { revision: 'v9' });
    expect(badRevision.message).toMatch(/^no such repo or revision: tiny-org\/tiny-llama@v9 .*revision "v9" not found/);
  });

  it('retries 500s and 429s (honouring Retry-After) on the API, metadata and downloads', async () => {
    hub.setFaults([
      { kind: 'status', status: 500, stage: 'api' },
      { kind: 'status', status: 503, stage: 'head', file: 'config.json' },
      { kind: 'status', status: 429, retryAfter: 1, file: 'model.safetensors' },
      { kind: 'status', status: 500, file: 'tokenizer.json', times: 2 },
      { kind: 'status', status: 429, retryAfter: 0, file: 'tokenizer_config.json' },
    ]);
    const log: Pulled = { events: [], progress: [] };
    const started = Date.now();
    const result = await pullModel(TINY, options({}, log));
    const retries = log.events.filter((e): e is Extract<PullEvent, { type: 'retry' }> => e.type === 'retry');
    expect(retries.map((r) => [r.file, r.attempt])).toEqual([
      [null, 1],
      ['config.json', 1],
      ['tokenizer.json', 1],
      ['tokenizer.json', 2],
      ['tokenizer_config.json', 1],
      ['model.safetensors', 1],
    ]);
    expect(retries.find((r) => r.file === 'model.safetensors')!.delayMs).toBe(1000);
    expect(retries.find((r) => r.file === 'tokenizer_config.json')!.delayMs).toBe(0);
    expect(retries.find((r) => r.file === 'tokenizer.json' && r.attempt === 2)!.delayMs).toBe(10); // backoff doubles
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(readFileSync(path.join(result.path, 'tokenizer.json'), 'utf8')).toBe(tinyFiles['tokenizer.json']);
  });

  it('gives up after the retries, keeping what it has', async () => {
    hub.setFaults([{ kind: 'status', status: 503, file: 'model.safetensors', times: 10 }]);
    const error = await pullError(TINY, { maxRetries: 2 });
    expect(error.code).toBe('http');
    expect(error.message).toMatch(/^downloading model\.safetensors failed after 3 attempts in a row: HTTP 503/);
    expect(existsSync(path.join(library.stagingRoot, 'tiny-llama', 'config.json'))).toBe(true);
  });

  it('treats a stalled connection as a network error and resumes', async () => {
    hub.setFaults([{ kind: 'stall', file: 'model.safetensors', afterBytes: 10_000, ms: 5000 }]);
    const log: Pulled = { events: [], progress: [] };
    const result = await pullModel(TINY, options({ timeoutMs: 300 }, log));
    expect(log.events.some((e) => e.type === 'retry' && e.file === 'model.safetensors')).toBe(true);
    expect(hub.contentRequests('model.safetensors')[1]!.range).toMatch(/^bytes=\d+-$/);
    expectBytes(path.join(result.path, 'model.safetensors'), weights());
  });

  it('stops when aborted and keeps the partial download for the next run', async () => {
    hub.setFaults([{ kind: 'stall', file: 'model.safetensors', afterBytes: 10_000, ms: 10_000 }]);
    const controller = new AbortController();
    const pending = pullModel(TINY, options({ signal: controller.signal, onEvent: (e) => e.type === 'file-start' && e.file === 'model.safetensors' && setTimeout(() => controller.abort(), 200) }));
    const error = await pending.then(
      () => null,
      (e: unknown) => e as ModelLibraryError,
    );
    expect(error?.code).toBe('cancelled');
    expect(readFileSync(path.join(library.stagingRoot, 'tiny-llama', 'model.safetensors.incomplete')).length).toBe(10_000);
    expect(existsSync(path.join(library.stagingRoot, 'tiny-llama.lock'))).toBe(false);
  });

  it('refuses a repo without safetensors weights before downloading anything', async () => {
    const error = await pullError(PT_ONLY);
    expect(error.code).toBe('invalid-model');
    expect(error.message).toMatch(/lack \*\.safetensors weights \(it has pytorch_model\.bin; Tandem reads safetensors only\)/);
    expect(hub.requests.filter((r) => r.file !== null)).toEqual([]);
  });

  it('updates a pulled model to a new commit, reusing the files that did not change', async () => {
    const id = 'tiny-org/moving';
    hub.addRepo({ id, files: tinyFiles });
    const first = await pullModel(id, options());
    const changedConfig = JSON.stringify({ ...JSON.parse(tinyFiles['config.json'] as string), rope_theta: 500000 });
    const second = hub.addRepo({ id, files: { ...tinyFiles, 'config.json': changedConfig } });
    hub.clearRequests();
    const log: Pulled = { events: [], progress: [] };
    const result = await pullModel(id, options({}, log));
    expect(result.sha).toBe(second.sha);
    expect(result.sha).not.toBe(first.sha);
    expect(result.path).toBe(first.path);
    expect(readFileSync(path.join(result.path, 'config.json'), 'utf8')).toBe(changedConfig);
    expect(hub.contentRequests('config.json')).toHaveLength(1);
    expect(hub.contentRequests('model.safetensors')).toEqual([]);
    expect(log.events).toContainEqual(expect.objectContaining({ type: 'file-done', file: 'model.safetensors', reused: true, downloaded: 0 }));
    expect(result.bytesDownloaded).toBe(Buffer.byteLength(changedConfig));
    expect(readManifest(result.path)!.sha).toBe(second.sha);
    expect(readdirSync(library.stagingRoot)).toEqual([]);
  });

  it('will not overwrite a model of another origin, and rejects bad repo ids', async () => {
    await pullModel(TINY, options());
    expect((await pullError(SHARDED, { name: 'tiny-llama' })).code).toBe('name-taken');
    expect((await pullError('../etc')).code).toBe('invalid-argument');
    expect((await pullError('a/b/c')).code).toBe('invalid-argument');
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI: the in-process tests run the command definitions, the end-to-end ones the real CLI
// (skipped if core/cli/main.ts does not register the command).

function captureIO(env: Record<string, string | undefined> = {}): ModelsCommandIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    env,
    stdout(s: string) {
      io.out += s;
    },
    stderr(s: string) {
      io.err += s;
    },
  };
  return io;
}

async function runInProcess(args: string[], io: ModelsCommandIO): Promise<void> {
  const program = new Command('tandem').exitOverride();
  registerModelsCommand(program, io);
  await program.parseAsync(args, { from: 'user' });
}

describe('tandem models (in process)', () => {
  it('pulls with progress on stderr and a summary on stdout, then lists the model', async () => {
    const io = captureIO();
    await runInProcess(['models', 'pull', TINY, '--endpoint', hub.endpoint, '--dir', library.dir], io);
    expect(io.err).toMatch(new RegExp(`^pulling ${TINY}@main \\(commit [0-9a-f]{12}\\): 5 files`));
    expect(io.err).toContain('verified model.safetensors');
    expect(io.out).toMatch(/^pulled tiny-org\/tiny-llama@main \(commit [0-9a-f]{12}\) as "tiny-llama": 5 files, .* all verified\n/);

    const list = captureIO();
    await runInProcess(['models', 'list', '--json', '--dir', library.dir], list);
    const parsed = JSON.parse(list.out) as { dir: string; models: Array<Record<string, unknown>> };
    expect(parsed.dir).toBe(library.dir);
    expect(parsed.models.filter((m) => m.source === 'pulled')).toEqual([expect.objectContaining({ name: 'tiny-llama', repo: TINY, architecture: 'LlamaForCausalLM' })]);

    const table = captureIO();
    await runInProcess(['models', 'list', '--dir', library.dir], table);
    expect(table.out).toMatch(/tiny-llama\s+pulled \(tiny-org\/tiny-llama\)\s+LlamaForCausalLM/);
  });

  it('adds a folder and reports what it is', async () => {
    const dir = path.join(root, 'cli-add');
    mkdirSync(dir);
    for (const [name, content] of Object.entries(checkpointFiles())) writeFileSync(path.join(dir, name), content);
    const io = captureIO();
    await runInProcess(['models', 'add', dir, '--name', 'mine', '--dir', library.dir, '--json'], io);
    expect(JSON.parse(io.out)).toMatchObject({ name: 'mine', source: 'local', linked: true, path: dir });
    expect(existsSync(path.join(library.dir, 'mine', MANIFEST_FILE))).toBe(true);
  });

  it('uses HF_ENDPOINT and HF_TOKEN from the environment', async () => {
    const io = captureIO({ HF_ENDPOINT: hub.endpoint, HF_TOKEN: GATE_TOKEN });
    await runInProcess(['models', 'pull', GATED, '--dir', library.dir, '--json'], io);
    expect(JSON.parse(io.out)).toMatchObject({ name: 'gated-llama', repo: GATED, upToDate: false });
  });
});

const mainSource = readFileSync(path.resolve(import.meta.dirname, '../../core/cli/main.ts'), 'utf8');
const registered = mainSource.includes('registerModelsCommand');

describe.skipIf(!registered)('tandem models (the real CLI)', () => {
  it('pull, then list --json', async () => {
    const env = { HF_ENDPOINT: undefined, HF_TOKEN: undefined, TANDEM_MODELS: undefined };
    const pulled = await runCli(['models', 'pull', TINY, '--endpoint', hub.endpoint, '--dir', library.dir], { env });
    expect(pulled.stderr).toContain(`pulling ${TINY}@main`);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain('as "tiny-llama"');
    const listed = await runCli(['models', 'list', '--json', '--dir', library.dir], { env });
    expect(listed.code).toBe(0);
    const models = (JSON.parse(listed.stdout) as { models: Array<{ name: string; source: string }> }).models;
    expect(models.filter((m) => m.source !== 'embedded').map((m) => [m.name, m.source])).toEqual([['tiny-llama', 'pulled']]);
  });

  it('reports a user error in one line without a stack trace', async () => {
    const result = await runCli(['models', 'pull', 'nobody/nothing', '--endpoint', hub.endpoint, '--dir', library.dir], { env: { HF_TOKEN: undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^tandem: no such repo or revision: nobody\/nothing@main/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('models list --db puts the library beside the database', async () => {
    const db = path.join(root, 'ws', 'tandem.db');
    const result = await runCli(['models', 'list', '--json', '--db', db]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).dir).toBe(path.join(root, 'ws', 'models'));
  });
});
