// Resuming a HotPotQA run killed mid-way sends no finished search again and ends with the
// uninterrupted run's table and intermediate checks. Real parts: the CLI process killed with SIGKILL, the
// OpenAI-compatible stub in its own process, a ColBERTv2-compatible server on loopback (so every
// search that reaches it is counted), SQLite.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.ts';
import { bundledHotpotQAPath, hotpotPassages, loadHotpotQA } from '../../core/tasks/hotpotqa-data.ts';
import { startFakeColbertServer, type FakeColbertServer } from '../fixtures/fake-colbert-server.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { runCli, runUntilKilled } from '../helpers/cli.ts';

let stub: StubServerHandle;
let colbert: FakeColbertServer;
let dir: string;
let args: (db: string) => string[];

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 20 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-hotpotqa-resume-'));
  const lines = gunzipSync(readFileSync(bundledHotpotQAPath())).toString('utf8').split('\n').filter(Boolean);
  const data = path.join(dir, 'hotpot-small.jsonl');
  writeFileSync(data, lines.slice(100, 160).join('\n') + '\n');
  const passages = hotpotPassages(await loadHotpotQA(data)).map((p, i) => ({ pid: i, title: p.title, text: p.text }));
  colbert = await startFakeColbertServer(passages);
  args = (db) => [
    'run', 'hotpotqa', '--strategy', 'p', '--seeds', '2', '--candidates', '2', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl,
    '--data', data, '--retriever', `colbert:${colbert.url}`, '--db', db, '--json',
  ];
}, 120_000);

afterAll(async () => {
  await stub?.stop();
  await colbert?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const searches = () => colbert.requests.map((r) => `${r.k}|${r.query}`);

describe('kill -9 and resume a HotPotQA run', () => {
  it('ends with the uninterrupted table and checks, and sends no finished search again', async () => {
    const clean = await runCli(args(path.join(dir, 'clean', 'tandem.db')), { timeoutMs: 300_000 });
    expect(clean.code, clean.stderr).toBe(0);
    const expected = JSON.parse(clean.stdout);
    const cleanSearches = searches();
    expect(new Set(cleanSearches).size).toBe(cleanSearches.length);
    colbert.requests.length = 0;

    const db = path.join(dir, 'crashy', 'tandem.db');
    const killed = await runUntilKilled(args(db), (e) => e.includes('candidate 3/'), 100);
    expect(killed.killed).toBe(true);
    const beforeResume = searches();
    expect(beforeResume.length).toBeGreaterThan(0);
    // Searches the killed run finished are in the retrieval cache; any others were in flight when it died.
    const store = openStore(db);
    const cached = store.retrievalCache.count();
    store.close();
    expect(cached).toBeGreaterThan(0);
    const resumed = await runCli(['resume', '1', '--db', db, '--json'], { timeoutMs: 300_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const got = JSON.parse(resumed.stdout);

    expect(got.table).toEqual(expected.table);
    expect(got.checks).toEqual(expected.checks);
    // The resumed run sent again only what was in flight at the kill: everything the killed run had
    // finished searching came from the retrieval cache. Together they searched what the clean run did.
    const afterResume = searches().slice(beforeResume.length);
    const repeated = afterResume.filter((s) => beforeResume.includes(s));
    expect(repeated.length).toBeLessThanOrEqual(beforeResume.length - cached);
    expect([...new Set(searches())].sort()).toEqual([...cleanSearches].sort());
  }, 600_000);
});
