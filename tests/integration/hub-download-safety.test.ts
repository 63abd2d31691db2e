// Finding 2 of #18, each reproduced against real HTTP on loopback: a hub file name that would
// write outside the model folder on Windows is refused before anything is downloaded; a file the
// hub declares no hash for is refused unless allowed; a file with no declared size stops at a cap.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile, type DownloadContext, type RemoteFile } from '../../core/models/download-file.ts';
import { createAgents, destroyAgents } from '../../core/models/hub-http.ts';
import { pullModel } from '../../core/models/hub-pull.ts';
import { ModelLibrary } from '../../core/models/model-library.ts';
import { FakeHub } from '../fixtures/fake-hub-server.ts';

let dir: string;
let server: http.Server;
let url: string;
const agents = createAgents();

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-hub-safety-'));
  // Streams 1 MiB in chunks without a Content-Length: a file whose size nobody declared.
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let sent = 0;
    const more = () => {
      while (sent < 1024 * 1024) {
        sent += 16 * 1024;
        if (!res.write(Buffer.alloc(16 * 1024, 7))) return res.once('drain', more);
      }
      res.end();
    };
    more();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`;
});

afterAll(async () => {
  destroyAgents(agents);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function context(extra: Partial<DownloadContext> = {}): DownloadContext {
  return {
    request: { tokenOrigin: 'http://127.0.0.1', timeoutMs: 5_000, agents },
    hub: { endpoint: 'http://127.0.0.1', repo: 'owner/repo', revision: 'main', hasToken: false },
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    onBytes: () => {},
    onEvent: () => {},
    ...extra,
  };
}

const remote = (overrides: Partial<RemoteFile>): RemoteFile => ({ name: 'file.bin', url, size: null, sha256: '0'.repeat(64), gitSha1: null, lfs: true, ...overrides });

describe('hub downloads stay inside the model folder', () => {
  it('refuses a repo that lists "..\\\\..\\\\evil.safetensors" before downloading anything', async () => {
    const hub = await FakeHub.start([{ id: 'owner/evil', files: { 'config.json': '{"model_type":"llama"}', '..\\..\\evil.safetensors': Buffer.alloc(64, 1) } }]);
    try {
      const library = new ModelLibrary({ dir: path.join(dir, 'lib'), embeddedDir: null });
      await expect(pullModel('owner/evil', { library, endpoint: hub.endpoint, env: {} })).rejects.toThrow(
        /owner\/evil@main: the hub lists a file named "\.\.\\\\\.\.\\\\evil\.safetensors", which is not a safe file name \(it holds a backslash/,
      );
      expect(hub.requests.filter((r) => r.file !== null)).toEqual([]);
      expect(readdirSync(dir).filter((f) => f.includes('evil'))).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  it('refuses a path that resolves outside the folder, and a file with no declared hash unless allowed', async () => {
    const target = path.join(dir, 'model');
    await expect(downloadFile(remote({ name: '../outside.bin' }), target, context())).rejects.toThrow(/would be written outside the model folder/);
    expect(existsSync(path.join(dir, 'outside.bin'))).toBe(false);
    await expect(downloadFile(remote({ sha256: null, gitSha1: null, size: 10 }), target, context())).rejects.toThrow(/declares no hash for file\.bin, so its bytes cannot be verified; refused/);
  });

  it('stops a file with no declared size at the cap and deletes what it had written', async () => {
    const target = path.join(dir, 'capped');
    await expect(downloadFile(remote({}), target, context({ maxUndeclaredBytes: 100 * 1024 }))).rejects.toThrow(/declares no size for file\.bin and it passed 102400 bytes; refused/);
    expect(readdirSync(target)).toEqual([]);
  });
});
