// The preload as esbuild bundles it: a sandboxed preload can require only 'electron', so the
// bundle must require nothing else, and it must stay small (core/api, zod or SQLite leaking in
// would show up here first).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

it('bundles the preload to a small CJS file that requires only electron', async () => {
  const result = await build({
    entryPoints: [path.join(ROOT, 'electron', 'preload.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  expect(required).toEqual(['electron']);
  expect(code.length).toBeLessThan(16 * 1024);
  expect(code).not.toMatch(/better-sqlite3|zod/);
});
