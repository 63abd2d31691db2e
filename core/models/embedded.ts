// The embedded demo model shipped in resources/models, if this build has it.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEMO_MODEL_NAME } from '../contract/defaults.ts';
import { embeddedModelsDir } from './model-library.ts';

/** The demo model's folder, or null when it has not been trained into this checkout yet. */
export function embeddedDemoModel(): string | null {
  const root = embeddedModelsDir();
  if (!root) return null;
  const dir = path.join(root, DEMO_MODEL_NAME);
  return existsSync(path.join(dir, 'config.json')) ? dir : null;
}
