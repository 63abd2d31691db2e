// The layer graph is enforced by ESLint (eslint.layers.js → no-restricted-imports): a planted
// forbidden import must fail the lint, an allowed one must pass, and docs/ARCHITECTURE.md must
// draw exactly the graph the lint enforces.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CORE_LEVELS, FRONT_ENDS } from '../../../eslint.layers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: ROOT });

async function restrictions(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('the layer lint', () => {
  it.each([
    ['core/lm/planted.ts', "import { startRun } from '../runner/run-experiment.ts';\nexport const x = startRun;\n", /core\/lm may import only/],
    ['core/program/planted.ts', "export { ChatAdapter } from '../adapter/chat-adapter.ts';\n", /core\/program may import only/],
    ['core/store/planted.ts', "import type { TandemApi } from '../api/api.ts';\nexport type X = TandemApi;\n", /core\/store may import only/],
    ['core/runner/steps/planted.ts', "import { createApi } from '../../api/api.ts';\nexport const x = createApi;\n", /core\/runner may import only/],
    ['core/contract/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", /no Node, SQLite, React or Electron/],
    ['core/contract/planted.ts', "import path from 'path';\nexport const x = path;\n", /no Node, SQLite, React or Electron/],
    ['core/api/planted.ts', "import { App } from '../../renderer/src/app/App.tsx';\nexport const x = App;\n", /nothing in core imports electron, renderer\//],
    ['renderer/src/planted.ts', "import type { Store } from '../../core/store/index.ts';\nexport type X = Store;\n", /renderer\/src\/ may import only core\/contract/],
    ['electron/planted.ts', "import { startRun } from '../core/runner/run-experiment.ts';\nexport const x = startRun;\n", /electron\/ may import only/],
    ['core/lm/planted.ts', "export async function f() {\n  return import('../runner/run-experiment.ts');\n}\n", /core\/lm may import only/],
    ['core/store/planted.ts', "export type X = typeof import('../api/api.ts');\n", /core\/store may import only/],
    ['core/api/planted.ts', "import { app } from 'electron';\nexport const x = app;\n", /nothing in core imports electron/],
    ['core/runner/planted.ts', "import { ScriptedLM } from '../../tests/helpers/scripted-lm.ts';\nexport const x = ScriptedLM;\n", /nothing in core imports electron, renderer\/, tests\//],
    ['core/contract/planted.ts', "import Database from 'better-sqlite3/lib/database.js';\nexport const x = Database;\n", /no Node, SQLite, React or Electron/],
    ['renderer/src/planted.ts', "export async function f() {\n  return import('../../core/runner/run-experiment.ts');\n}\n", /renderer\/src\/ may import only core\/contract/],
  ])('rejects a forbidden import in %s', async (file, source, message) => {
    const found = await restrictions(file, source);
    expect(found.length, `no restriction reported for ${file}`).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(message);
  });

  it.each([
    ['core/runner/planted.ts', "import type { Store } from '../store/index.ts';\nexport type X = Store;\n"],
    ['core/lm/planted.ts', "import { parseStrategy } from '../contract/strategy.ts';\nexport const x = parseStrategy;\n"],
    ['renderer/src/planted.ts', "import { PAPER_STRATEGIES } from '../../core/contract/strategy.ts';\nexport const x = PAPER_STRATEGIES;\n"],
    ['core/contract/planted.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    ['core/cli/planted.ts', "export async function f() {\n  return import('../runner/run-experiment.ts');\n}\n"],
  ])('allows an import that goes down in %s', async (file, source) => {
    expect(await restrictions(file, source)).toEqual([]);
  });
});

describe('docs/ARCHITECTURE.md', () => {
  it('draws the graph eslint.layers.js enforces', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
    const block = /<!-- layers:begin -->\s*```text\n([\s\S]*?)```\s*<!-- layers:end -->/.exec(doc);
    expect(block, 'ARCHITECTURE.md has no layers block').not.toBeNull();
    const lines = block![1]!.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    const fronts = Object.fromEntries(
      lines.filter((l) => l.includes('→')).map((l) => {
        const [from, to] = l.split('→').map((s) => s.trim());
        return [from!.replace(/\/$/, ''), to!.split(',').map((s) => s.trim().replace(/^core\//, ''))];
      }),
    );
    const levels = lines
      .filter((l) => !l.includes('→'))
      .map((l) => l.split('·').map((s) => s.trim().replace(/^core\//, '')))
      .reverse();
    expect(levels).toEqual(CORE_LEVELS);
    expect(fronts).toEqual(FRONT_ENDS);
  });
});
