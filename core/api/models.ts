// The model library through the API: list (embedded models and the library's), add a checkpoint
// folder (a pointer, or a copy with progress events), and pull from the Hugging Face Hub in the
// background — pullModel returns an operation id at once; progress, notable steps and the end
// arrive as events, and cancelPull stops it (what was downloaded is kept for the next pull).

import { setMaxListeners } from 'node:events';
import type { ModelList, ModelOperation } from '../contract/models.ts';
import type { AddModelInput, ModelOperationInput, Parsed, PullModelInput } from '../contract/schemas.ts';
import { pullModel as hubPull } from '../models/hub-pull.ts';
import { ModelLibrary, checkModelName, modelNameFrom, type ModelEntry } from '../models/model-library.ts';
import type { ApiContext } from './context.ts';
import { conflict, notFound, toApiError } from './errors.ts';

interface ActivePull extends ModelOperation {
  controller: AbortController;
  done: Promise<void>;
}

export class Models {
  private nextOperation = 1;
  private readonly pulls = new Map<number, ActivePull>();

  constructor(private readonly ctx: ApiContext) {}

  library(): ModelLibrary {
    return new ModelLibrary({ dir: this.ctx.libraryDir, ...(this.ctx.embeddedModelsDir !== undefined ? { embeddedDir: this.ctx.embeddedModelsDir } : {}) });
  }

  list(): ModelList {
    const library = this.library();
    return { dir: library.dir, models: library.listModels() };
  }

  async add(input: Parsed<typeof AddModelInput>): Promise<ModelEntry> {
    const library = this.library();
    const operationId = this.nextOperation++;
    const name = input.name ?? '';
    return library.addModel(input.path, {
      ...(input.name ? { name: input.name } : {}),
      copy: input.copy,
      onProgress: (progress) => this.ctx.events.emit({ type: 'model-progress', operationId, kind: 'copy', name, progress }),
    });
  }

  /** Starts a pull in the background. */
  pull(input: Parsed<typeof PullModelInput>): ModelOperation {
    const library = this.library();
    const name = checkModelName(input.name ?? modelNameFrom(input.repo.split('/').pop() ?? input.repo));
    const busy = [...this.pulls.values()].find((p) => p.name === name);
    if (busy) throw conflict(`model "${name}" is already being pulled (operation ${busy.operationId})`);
    const operationId = this.nextOperation++;
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const { events } = this.ctx;
    const entry: ActivePull = { operationId, repo: input.repo, name, controller, done: Promise.resolve() };
    this.pulls.set(operationId, entry);
    entry.done = (async () => {
      try {
        const result = await hubPull(input.repo, {
          library,
          name,
          revision: input.revision,
          ...(input.endpoint ? { endpoint: input.endpoint } : {}),
          ...(input.include ? { allowPatterns: input.include } : {}),
          ...(input.allowUnverified ? { allowUnverified: true } : {}),
          env: { ...this.ctx.env },
          signal: controller.signal,
          onProgress: (progress) => events.emit({ type: 'model-progress', operationId, kind: 'pull', name, progress }),
          onEvent: (event) => events.emit({ type: 'model-pull-event', operationId, event }),
        });
        this.pulls.delete(operationId);
        events.emit({ type: 'model-pull-end', operationId, repo: input.repo, status: 'finished', entry: result.entry, error: null });
      } catch (error) {
        this.pulls.delete(operationId);
        const apiError = toApiError(error);
        const cancelled = controller.signal.aborted || apiError.code === 'cancelled';
        events.emit({ type: 'model-pull-end', operationId, repo: input.repo, status: cancelled ? 'cancelled' : 'failed', entry: null, error: apiError.toJSON() });
      }
    })();
    return { operationId, repo: input.repo, name };
  }

  /** Stops a pull and waits until it has stopped. */
  async cancelPull(input: Parsed<typeof ModelOperationInput>): Promise<{ operationId: number }> {
    const pull = this.pulls.get(input.operationId);
    if (!pull) throw notFound(`there is no model pull ${input.operationId} going`);
    pull.controller.abort();
    await pull.done;
    return { operationId: input.operationId };
  }

  activePulls(): ModelOperation[] {
    return [...this.pulls.values()].map(({ operationId, repo, name }) => ({ operationId, repo, name }));
  }

  async cancelAll(): Promise<void> {
    const pulls = [...this.pulls.values()];
    for (const p of pulls) p.controller.abort();
    await Promise.all(pulls.map((p) => p.done));
  }
}
