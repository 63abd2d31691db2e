// The security probe script (`npm run audit:web`) as CI runs it: it starts `tandem serve` and the
// local engine as a user would and probes both from outside; every probe must be refused and
// every control request served. The slow-body probe (30 s) is left to web-server-bounds.test.ts,
// which checks the same 408 with a short timeout.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('npm run audit:web', () => {
  it('finds every probe of web mode and the engine refused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-test-'));
    try {
      const out = path.join(dir, 'audit.json');
      const env = { ...process.env };
      delete env.TANDEM_WEB_TOKEN;
      const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'audit-web.ts'), '--skip-slow', '--json', out], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 });
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as { passed: boolean; results: Array<{ target: string; name: string; refused: boolean; control: boolean }> };
      expect(report.passed).toBe(true);
      const names = report.results.map((r) => `${r.target}: ${r.name}`);
      for (const expected of ['web: no credentials', 'web: a wrong token', 'web: a foreign Host (DNS rebinding)', "web: another site's Origin", 'web: a text/plain POST (a form or no-cors fetch)', 'web: the same code a second time', 'engine: no token on /v1/models', 'engine: a text/plain POST (unload adapters from a web page)', 'engine: an adapter behind a symlink out of the folder', 'engine: no local paths in /v1/models']) {
        expect(names).toContain(expected);
      }
      expect(report.results.filter((r) => r.control).length).toBeGreaterThanOrEqual(4);
      expect(result.stdout).toMatch(/(\d+) of \1 checks as expected\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 360_000);
});
