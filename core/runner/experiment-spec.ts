// Everything needed to run — or resume — an experiment, as plain JSON saved with the run: the
// task, strategies and seeds, how to reach the LM (never the API key itself), the fine-tuning
// backend, and every optimizer setting. `tandem resume` rebuilds the run from this alone. Specs
// are made in one place, the spec builder (spec-builder.ts), from the experiment input.

import type { ExperimentSpec } from '../contract/views/spec.ts';

// The spec is what front ends read back with an experiment or run, so its shape is the contract's.
export type { ExperimentSpec, FinetuneSpec, LMSpecRecord } from '../contract/views/spec.ts';

/** The version of the saved spec's shape; a config without it was not written by this runner. */
export const SPEC_VERSION = 1;

/** The config an experiment or run is saved with: the spec and its version. */
export function specConfig(spec: ExperimentSpec): { specVersion: number } & ExperimentSpec {
  return { specVersion: SPEC_VERSION, ...spec };
}

/** The spec in a saved config, or null when this version of the runner did not write it. */
export function specFromConfig(config: object): ExperimentSpec | null {
  const c = config as Partial<ExperimentSpec> & { specVersion?: unknown };
  if (c.specVersion !== SPEC_VERSION || typeof c.task !== 'string' || !Array.isArray(c.strategies) || !Array.isArray(c.seeds) || !c.lm) return null;
  const { specVersion: _version, ...spec } = c;
  return spec as ExperimentSpec;
}

export function seedsFrom(base: number, count: number): number[] {
  if (!Number.isInteger(count) || count <= 0) throw new Error(`the number of seeds must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => base + i);
}

/** How many seeds run at once: the spec's setting, at most the number of seeds. */
export function seedLanes(spec: Pick<ExperimentSpec, 'seeds' | 'seedConcurrency'>): number {
  const wanted = spec.seedConcurrency ?? spec.seeds.length;
  return Math.max(1, Math.min(wanted, spec.seeds.length));
}
