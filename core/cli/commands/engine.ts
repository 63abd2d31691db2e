// `tandem engine serve`: runs the local engine in the foreground and prints its base URL and the
// token it requires, so any OpenAI client (the token as its API key) can use it. `--no-auth`
// serves without a token, for users who want an open local server.

import type { Command } from 'commander';
import path from 'node:path';
import { DEMO_MODEL_NAME } from '../../contract/defaults.ts';
import { embeddedDemoModel } from '../../models/embedded.ts';
import { startLocalModel } from '../../models/local-model.ts';
import { finetuneDir } from '../../runner/runtime.ts';
import { UsageError } from '../user-error.ts';
import { integer, resolveDbPath } from '../options.ts';
import { resolveModelLibraryDir } from './models.ts';

export function registerEngineCommand(program: Command): void {
  const engine = program.command('engine').description('the local PyTorch engine (OpenAI-compatible server + LoRA trainer)');
  engine
    .command('serve')
    .description('serve a model over the OpenAI-compatible API until interrupted')
    .option('--model <name or dir>', `a model of the library (\`tandem models list\`) or a checkpoint folder (default: the embedded ${DEMO_MODEL_NAME}, as \`tandem run\` uses)`)
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', integer('--port', 0, 65535), 0)
    .option('--dtype <fp32|bf16>', 'weights precision', 'fp32')
    .option('--max-batch <n>', 'requests decoded together', integer('--max-batch', 1, 256))
    .option('--db <file>', 'workspace database; the model library is the models/ folder beside it')
    .option('--adapter-root <dir>', 'the folder LoRA adapters may be loaded from (default: the finetune/ folder beside the workspace database, where runs train them)')
    .option('--no-auth', 'serve without a token: any program on this machine may use the engine (default: every request must send the printed token)')
    .action(async (flags: { model?: string; port: number; dtype: 'fp32' | 'bf16'; maxBatch?: number; db?: string; adapterRoot?: string; auth: boolean }) => {
      const libraryDir = resolveModelLibraryDir(flags.db ? { db: flags.db } : {});
      const adapterRoot = path.resolve(flags.adapterRoot ?? finetuneDir({ workDir: null }, resolveDbPath(flags.db)));
      if (flags.model === undefined && !embeddedDemoModel()) {
        throw new UsageError(`give --model: the embedded ${DEMO_MODEL_NAME} is not in this checkout (build it with \`npm run train:demo-model\`)`);
      }
      const session = await startLocalModel(flags.model ?? DEMO_MODEL_NAME, {
        libraryDir,
        port: flags.port,
        dtype: flags.dtype,
        adapterRoot,
        ...(flags.auth ? {} : { noAuth: true }),
        ...(flags.maxBatch ? { maxBatch: flags.maxBatch } : {}),
        onEvent: (event) => {
          if (event.type === 'log') process.stderr.write(`[engine] ${event.line}\n`);
          else if (event.type === 'restarting') process.stderr.write(`engine died; restarting in ${event.delayMs} ms\n`);
          else if (event.type === 'gave-up') process.stderr.write(`${event.message}\n`);
        },
      });
      process.stdout.write(`${JSON.stringify({ baseUrl: session.baseUrl, model: session.modelName, token: session.token, adapterRoot })}\n`);
      process.stderr.write(`serving ${session.modelName} at ${session.baseUrl} (Ctrl-C to stop)\n`);
      if (session.token) {
        process.stderr.write(`token: ${session.token}\n  (send it as 'Authorization: Bearer <token>', or as an OpenAI client's api_key)\n`);
      } else {
        process.stderr.write('warning: --no-auth: no token; any program on this machine can use this engine and load adapters into it\n');
      }
      process.stderr.write(`adapters load from ${adapterRoot}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await session.stop();
    });
}
