// Helpers for tests that use the real local engine: a tiny random checkpoint made by the engine's
// own `make-tiny` command (no pretrained weights exist offline).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { engineEnv } from '../../core/engine/engine-paths.ts';
import { findPython } from '../../core/engine/python.ts';

const run = promisify(execFile);

export async function makeTinyCheckpoint(dir: string, args: string[] = []): Promise<string> {
  const python = (await findPython()).executable;
  await run(python, ['-m', 'tandem_engine', 'make-tiny', dir, ...args], { env: engineEnv() });
  return dir;
}
