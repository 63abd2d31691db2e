// A workbench to develop and test against: the OpenAI-compatible stub server (its own process;
// it answers Iris prompts, better with demos, and serves "tuned" adapters), a workspace database
// seeded once with a finished run (p, w, p -> w over 2 seeds, real LoRA trainer on a tiny
// checkpoint, so every view has data), and `tandem serve` on it with the built renderer.
//
//   npx tsx scripts/dev/workbench-dev.ts [--db .tandem/dev/workbench.db] [--port 0] [--no-seed]
//
// Prints one JSON line {url, token, stubBaseUrl, db}; new experiments made in the UI can use the LM
// `openai` / `stub-model` / <stubBaseUrl>. Runs until killed.
import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApi } from '../../core/api/index.ts';
import { findPython } from '../../core/engine/python.ts';
import { defaultStaticDir, startWebServer } from '../../core/web/index.ts';
import { runCli } from '../../tests/helpers/cli.ts';
import { makeTinyCheckpoint } from '../../tests/helpers/engine.ts';
import { startStubServer } from '../../tests/fixtures/stub-server-process.ts';
import { engineDir } from '../../core/engine/engine-paths.ts';

const { values } = parseArgs({
  options: { db: { type: 'string', default: '.tandem/dev/workbench.db' }, port: { type: 'string', default: '0' }, 'no-seed': { type: 'boolean', default: false }, 'latency-ms': { type: 'string', default: '20' } },
});
const db = path.resolve(values.db!);
mkdirSync(path.dirname(db), { recursive: true });
const stub = await startStubServer({ latencyMs: Number(values['latency-ms']) });

if (!values['no-seed'] && !existsSync(db)) {
  const tiny = await makeTinyCheckpoint(path.join(path.dirname(db), 'tiny'));
  const python = (await findPython()).executable;
  const trainer = `${python} -m tandem_engine train --base ${tiny} --data {train} --out {out} --epochs 2 --rank 4 --alpha 8 --lr 1e-3 --batch-size 4 --max-seq-len 4096 --seed {seed}`;
  const result = await runCli(
    ['run', 'iris', '--strategies', 'p, w, p -> w', '--seeds', '2', '--candidates', '4', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--finetune-command', trainer, '--db', db, '--json'],
    { env: { PYTHONPATH: engineDir(), OPENBLAS_NUM_THREADS: '1' }, timeoutMs: 600_000 },
  );
  if (result.code !== 0) {
    console.error(result.stderr);
    await stub.stop();
    process.exit(1);
  }
}

const api = createApi({ dbPath: db });
const server = await startWebServer({ api, port: Number(values.port), staticDir: defaultStaticDir() ?? undefined });
console.log(JSON.stringify({ url: server.url, token: server.token, stubBaseUrl: stub.baseUrl, db }));
const stop = async () => {
  await server.close();
  await api.close();
  await stub.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
