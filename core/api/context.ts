// What every part of the API shares: the store, the event hub, the environment, the model
// library folder and how a run's runtime is opened.

import type { ExperimentSpec } from '../runner/experiment-spec.ts';
import type { EngineEvent } from '../engine/engine-process.ts';
import type { Runtime } from '../runner/runtime.ts';
import type { Store } from '../store/index.ts';
import type { EventHub } from './events.ts';
import type { Env } from './spec.ts';

/** What a run needs from its runtime: the LM options, the fine-tuning backend, and a way to stop what was started. */
export type RunRuntime = Pick<Runtime, 'lm' | 'finetuner' | 'close'>;

/** runner/runtime.ts's openRuntime, or a stand-in for tests. */
export type OpenRuntime = (
  spec: ExperimentSpec,
  options: { libraryDir: string; env?: NodeJS.ProcessEnv; onEngineEvent?: (event: EngineEvent) => void; adapterRoot?: string },
) => Promise<RunRuntime>;

export interface ApiContext {
  store: Store;
  events: EventHub;
  env: Env;
  libraryDir: string;
  /** Where embedded models live; undefined: resources/models; null: none. */
  embeddedModelsDir: string | null | undefined;
  openRuntime: OpenRuntime;
  hasDemoModel: (() => boolean) | undefined;
}
