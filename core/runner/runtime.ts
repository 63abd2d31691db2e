// Turns an ExperimentSpec into live resources: the LM options (starting the local engine when the
// model is local) and the fine-tuning backend. `close()` stops what was started.

import path from 'node:path';
import type { EngineEvent } from '../engine/engine-process.ts';
import { startLocalModel, type LocalModelSession } from '../models/local-model.ts';
import { CommandFinetuner } from '../finetune/command-finetuner.ts';
import type { Finetuner } from '../finetune/finetuner.ts';
import { HostedFinetuner } from '../finetune/hosted-finetuner.ts';
import { resolveLMOptions, type ResolvedLMOptions } from '../lm/lm-config.ts';
import type { ExperimentSpec } from './experiment-spec.ts';

export interface Runtime {
  lm: ResolvedLMOptions;
  finetuner: Finetuner | undefined;
  local: LocalModelSession | null;
  close(): Promise<void>;
}

/**
 * The folder a run's fine-tuning data and adapters go to: the spec's `workDir`, else `finetune/`
 * beside the workspace database. The local engine loads adapters only from inside it.
 */
export function finetuneDir(spec: Pick<ExperimentSpec, 'workDir'>, storeFile: string): string {
  return spec.workDir ?? path.join(path.dirname(storeFile === ':memory:' ? '.' : storeFile), 'finetune');
}

export async function openRuntime(
  spec: ExperimentSpec,
  options: {
    libraryDir: string;
    env?: NodeJS.ProcessEnv;
    onEngineEvent?: (event: EngineEvent) => void;
    /** The spec's LM settings were typed on this command line (see LMSettingsInput.fromCommandLine). */
    lmFromCommandLine?: boolean;
    /** The folder the local engine may load adapters from (`finetuneDir`); default the spec's workDir, else none. */
    adapterRoot?: string;
  },
): Promise<Runtime> {
  const env = options.env ?? process.env;
  const adapterRoot = options.adapterRoot ?? spec.workDir ?? undefined;
  const local =
    spec.lm.provider === 'local'
      ? await startLocalModel(spec.lm.model, {
          libraryDir: options.libraryDir,
          ...(adapterRoot ? { adapterRoot } : {}),
          ...(options.onEngineEvent ? { onEvent: options.onEngineEvent } : {}),
        })
      : null;
  try {
    const lm = resolveLMOptions({
      flags: {
        model: local ? local.modelName : spec.lm.model,
        ...(local ? { baseUrl: local.baseUrl } : spec.lm.baseUrl ? { baseUrl: spec.lm.baseUrl } : {}),
        // The local engine's token is its API key, given explicitly: no environment variable's key
        // goes to the engine, and the engine answers no one without it.
        ...(local ? (local.token ? { apiKey: local.token } : {}) : spec.lm.apiKeyEnv ? { apiKeyEnv: spec.lm.apiKeyEnv } : {}),
        maxConcurrency: spec.lm.maxConcurrency,
        maxRetries: spec.lm.maxRetries,
        timeoutMs: spec.lm.timeoutMs,
      },
      env,
      fromCommandLine: options.lmFromCommandLine === true,
    });
    const finetuner =
      spec.finetune?.kind === 'local' && local
        ? local.finetuner
        : spec.finetune?.kind === 'command'
          ? new CommandFinetuner({ template: spec.finetune.template, baseModel: spec.finetune.baseModel })
          : spec.finetune?.kind === 'hosted'
            ? // The LM's own server and key: the key was vetted for this base URL (key-origins.ts).
              new HostedFinetuner({ baseUrl: lm.baseUrl, apiKey: lm.apiKey, baseModel: spec.finetune.baseModel, timeoutMs: spec.lm.timeoutMs, maxRetries: spec.lm.maxRetries })
            : undefined;
    return { lm, finetuner, local, close: async () => void (await local?.stop()) };
  } catch (error) {
    await local?.stop();
    throw error;
  }
}
