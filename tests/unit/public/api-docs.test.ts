// The public entry is documented: docs/TASKS.md's API reference names every name core/public
// exports (values and types), so a new export cannot ship without its line there.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tandem from '../../../core/public/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every name in the entry's `export { … } from` and `export type { … } from` lines. */
function exportedNames(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/^export (?:type )?\{([^}]*)\} from /gm)) {
    for (const part of match[1]!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

describe('the public entry', () => {
  const source = readFileSync(path.join(ROOT, 'core', 'public', 'index.ts'), 'utf8');
  const names = exportedNames(source);

  it('exports only through export lists the reference can read', () => {
    // Every runtime export is in a list (no `export *`, no declarations in the entry itself).
    expect(Object.keys(tandem).filter((name) => !names.includes(name))).toEqual([]);
    expect(source).not.toMatch(/^export \*/m);
    expect(names.length).toBeGreaterThan(50);
  });

  it('has every exported name in docs/TASKS.md, in the public API section', () => {
    const docs = readFileSync(path.join(ROOT, 'docs', 'TASKS.md'), 'utf8');
    const reference = docs.slice(docs.indexOf("## The public API (`'tandem'`)"));
    expect(reference.length).toBeGreaterThan(1000);
    const mentioned = (name: string) => new RegExp('`' + name + '(?:[(`<. ]|$)', 'm').test(reference);
    expect(names.filter((name) => !mentioned(name))).toEqual([]);
  });
});
