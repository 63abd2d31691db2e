// `tandem engine serve`: runs the local engine in the foreground and prints its base URL, so any
// OpenAI client (or `tandem run --lm openai:<model> --base-url <url>`) can use it.

import type { Command } from 'commander';
import { DEMO_MODEL_NAME } from '../../contract/defaults.ts';
import { embeddedDemoModel } from '../../models/embedded.ts';
import { startLocalModel } from '../../models/local-model.ts';
import { UsageError } from '../user-error.ts';
import { integer } from '../options.ts';
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
    .action(async (flags: { model?: string; port: number; dtype: 'fp32' | 'bf16'; maxBatch?: number; db?: string }) => {
      const libraryDir = resolveModelLibraryDir(flags.db ? { db: flags.db } : {});
      if (flags.model === undefined && !embeddedDemoModel()) {
        throw new UsageError(`give --model: the embedded ${DEMO_MODEL_NAME} is not in this checkout (build it with \`npm run train:demo-model\`)`);
      }
      const session = await startLocalModel(flags.model ?? DEMO_MODEL_NAME, {
        libraryDir,
        port: flags.port,
        dtype: flags.dtype,
        ...(flags.maxBatch ? { maxBatch: flags.maxBatch } : {}),
        onEvent: (event) => {
          if (event.type === 'log') process.stderr.write(`[engine] ${event.line}\n`);
          else if (event.type === 'restarting') process.stderr.write(`engine died; restarting in ${event.delayMs} ms\n`);
          else if (event.type === 'gave-up') process.stderr.write(`${event.message}\n`);
        },
      });
      process.stdout.write(`${JSON.stringify({ baseUrl: session.baseUrl, model: session.modelName })}\n`);
      process.stderr.write(`serving ${session.modelName} at ${session.baseUrl} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await session.stop();
    });
}
