import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temp folder for malformed data files; remove it with `cleanup`. */
export async function tempDir(): Promise<{ dir: string; write(name: string, text: string): Promise<string>; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tandem-datasets-'));
  return {
    dir,
    async write(name, text) {
      const file = path.join(dir, name);
      await writeFile(file, text, 'utf8');
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
