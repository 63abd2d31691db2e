// Where the bundled resources live. In a checkout (run through tsx) this module sits in
// core/util/, so walking up from it finds the repository's resources/ folder. A host that lays
// files out differently (a packaged app) calls `setResourcesDir` once at startup.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let configured: string | null = null;
let found: string | null = null;

/** Overrides where bundled resources are looked up (null restores the search from this module). */
export function setResourcesDir(dir: string | null): void {
  configured = dir === null ? null : path.resolve(dir);
}

/** The resources/ folder: the configured one, else the nearest one above this module holding datasets/. */
export function resourcesDir(): string {
  if (configured !== null) return configured;
  if (found !== null) return found;
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources');
    if (existsSync(path.join(candidate, 'datasets'))) {
      found = candidate;
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(
        `cannot find the bundled resources/ folder above ${start}; ` +
          'pass a dataPath, or call setResourcesDir() with the folder that holds datasets/',
      );
    }
  }
}

/** Path of a bundled data file or folder, e.g. `bundledDatasetPath('iris', 'iris.csv')`. */
export function bundledDatasetPath(...parts: string[]): string {
  return path.join(resourcesDir(), 'datasets', ...parts);
}
