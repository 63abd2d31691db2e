// Starts the local engine for one model of the library (or a checkpoint folder) and gives back
// what a run needs: the OpenAI-compatible base URL, the served model name, and a finetuner whose
// adapters the engine serves without a restart.

import path from 'node:path';
import { EngineProcess, type EngineEvent, type EngineOptions } from '../engine/engine-process.ts';
import { LocalEngineFinetuner } from '../finetune/local-engine-finetuner.ts';
import { ModelLibrary } from './model-library.ts';

export interface LocalModelSession {
  engine: EngineProcess;
  baseUrl: string;
  /** The bearer token the engine requires (null when started with `noAuth`): an OpenAI client's API key. */
  token: string | null;
  modelName: string;
  modelDir: string;
  finetuner: LocalEngineFinetuner;
  stop(): Promise<void>;
}

export interface StartLocalModelOptions extends Omit<EngineOptions, 'modelDir'> {
  /** The model library folder (names are looked up there and among embedded models). */
  libraryDir: string;
  onEvent?: (event: EngineEvent) => void;
}

export async function startLocalModel(nameOrDir: string, options: StartLocalModelOptions): Promise<LocalModelSession> {
  const modelDir = new ModelLibrary({ dir: options.libraryDir }).resolveModel(nameOrDir);
  const { libraryDir: _libraryDir, onEvent, ...engineOptions } = options;
  const servedName = engineOptions.servedName ?? path.basename(modelDir);
  const engine = new EngineProcess({ ...engineOptions, modelDir, servedName });
  if (onEvent) engine.on(onEvent);
  try {
    const baseUrl = await engine.start();
    return {
      engine,
      baseUrl,
      token: engine.token,
      modelName: engine.model || servedName,
      modelDir,
      finetuner: new LocalEngineFinetuner({ baseModelDir: modelDir, engine, ...(engineOptions.dtype ? { dtype: engineOptions.dtype } : {}), ...(engineOptions.device ? { device: engineOptions.device } : {}) }),
      stop: () => engine.stop(),
    };
  } catch (error) {
    await engine.stop();
    throw error;
  }
}
