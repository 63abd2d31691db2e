// Where Tandem is installed: the nearest folder above this module whose package.json is Tandem's.
// Works from the sources (core/util/) and from the bundled CLI (dist/tandem.mjs) alike.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  root: string;
  version: string;
}

let cached: PackageInfo | null | undefined;

export function findPackage(from: string = path.dirname(fileURLToPath(import.meta.url))): PackageInfo | null {
  if (cached !== undefined && from === path.dirname(fileURLToPath(import.meta.url))) return cached;
  let dir = path.resolve(from);
  let found: PackageInfo | null = null;
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (json.name === 'tandem') {
        found = { root: dir, version: typeof json.version === 'string' ? json.version : '0.0.0' };
        break;
      }
    } catch {
      // no package.json here, or not readable: keep looking upward
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (from === path.dirname(fileURLToPath(import.meta.url))) cached = found;
  return found;
}

/** The built renderer: <package root>/renderer/dist (null when the package root is not found). */
export function defaultStaticDir(): string | null {
  const pkg = findPackage();
  return pkg ? path.join(pkg.root, 'renderer', 'dist') : null;
}

/** Tandem's version, from its package.json (the one place it is written). */
export function tandemVersion(): string {
  return findPackage()?.version ?? '0.0.0';
}
