// Turns an ExperimentSpec into live resources: the LM options (starting the local engine when the
// model is local) and the fine-tuning backend. `close()` stops what was started.

import type { EngineEvent } from '../engine/engine-process.ts';
import { startLocalModel, type LocalModelSession } from '../models/local-model.ts';
import { CommandFinetuner } from '../finetune/command-finetuner.ts';
import type { Finetuner } from '../finetune/finetuner.ts';
import { resolveLMOptions, type ResolvedLMOptions } from '../lm/lm-config.ts';
import type { ExperimentSpec } from './experiment-spec.ts';

export interface Runtime {
  lm: ResolvedLMOptions;
  finetuner: Finetuner | undefined;
  local: LocalModelSession | null;
  close(): Promise<void>;
}

export async function openRuntime(
  spec: ExperimentSpec,
  options: { libraryDir: string; env?: NodeJS.ProcessEnv; onEngineEvent?: (event: EngineEvent) => void },
): Promise<Runtime> {
  const env = options.env ?? process.env;
  const local =
    spec.lm.provider === 'local'
      ? await startLocalModel(spec.lm.model, { libraryDir: options.libraryDir, ...(options.onEngineEvent ? { onEvent: options.onEngineEvent } : {}) })
      : null;
  try {
    const lm = resolveLMOptions({
      flags: {
        model: local ? local.modelName : spec.lm.model,
        ...(local ? { baseUrl: local.baseUrl } : spec.lm.baseUrl ? { baseUrl: spec.lm.baseUrl } : {}),
        ...(spec.lm.apiKeyEnv ? { apiKeyEnv: spec.lm.apiKeyEnv } : {}),
        maxConcurrency: spec.lm.maxConcurrency,
        maxRetries: spec.lm.maxRetries,
        timeoutMs: spec.lm.timeoutMs,
      },
      env,
    });
    const finetuner =
      spec.finetune?.kind === 'local' && local
        ? local.finetuner
        : spec.finetune?.kind === 'command'
          ? new CommandFinetuner({ template: spec.finetune.template, baseModel: spec.finetune.baseModel })
          : undefined;
    return { lm, finetuner, local, close: async () => void (await local?.stop()) };
  } catch (error) {
    await local?.stop();
    throw error;
  }
}
