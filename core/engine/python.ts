// Finds a Python interpreter that can import torch and jinja2: $TANDEM_PYTHON first, then the
// usual names. Debian's PyTorch lives under /usr/bin/python3, which a pyenv or venv `python3`
// on PATH may shadow, so it is probed explicitly.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EngineError, TORCH_INSTALL_HINT } from './errors.ts';

const run = promisify(execFile);

export interface PythonInfo {
  executable: string;
  python: string;
  torch: string;
  cuda: boolean;
}

const PROBE = 'import json, sys, torch, jinja2; print(json.dumps({"python": sys.version.split()[0], "torch": torch.__version__, "cuda": torch.cuda.is_available()}))';

export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env.TANDEM_PYTHON?.trim();
  if (fromEnv) return [fromEnv];
  return ['/usr/bin/python3', 'python3', 'python'];
}

let cached: Promise<PythonInfo> | null = null;

/** The first candidate that imports torch and jinja2 (memoized per process). */
export function findPython(env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  if (env === process.env && cached) return cached;
  const found = probeAll(pythonCandidates(env), Boolean(env.TANDEM_PYTHON?.trim()));
  if (env === process.env) cached = found.catch((e) => ((cached = null), Promise.reject(e)));
  return found;
}

async function probeAll(candidates: string[], explicit: boolean): Promise<PythonInfo> {
  const failures: string[] = [];
  for (const executable of candidates) {
    try {
      const { stdout } = await run(executable, ['-c', PROBE], { timeout: 60_000 });
      const info = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<PythonInfo, 'executable'>;
      return { executable, ...info };
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      const why = e.code === 'ENOENT' ? 'not found' : (e.stderr?.trim().split('\n').pop() ?? e.message);
      failures.push(`${executable}: ${why}`);
    }
  }
  const where = explicit ? `TANDEM_PYTHON (${candidates[0]}) cannot run the engine` : 'no Python with PyTorch found';
  throw new EngineError(`${where} [${failures.join('; ')}]; ${TORCH_INSTALL_HINT}`);
}
