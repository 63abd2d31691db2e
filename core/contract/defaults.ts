// Every default of an experiment, in one place: the API's input schema, `tandem run` and
// `tandem demo` (their option help shows these values), the runner's optimizers and the
// workbench's new-experiment form all read them from here. Plain values, no dependency.

/** The embedded demo model: the default LM when no other is named, served by the local engine. */
export const DEMO_MODEL_NAME = 'tandem-demo';

/** LM sampling (the paper's settings). */
export const SAMPLING_DEFAULTS = {
  temperature: 0.1,
  maxTokens: 1024,
} as const;

/** Π (bootstrap few-shot with random search), in the optimizer's own terms. */
export const RANDOM_SEARCH_DEFAULTS = {
  /** Shuffled bootstrap candidates beyond the three fixed ones (paper: 6). */
  numCandidates: 6,
  maxBootstrappedDemos: 3,
  maxLabeledDemos: 3,
  /** Bootstrap attempts per example. */
  maxRounds: 1,
} as const;

/** The experiment input's defaults, shaped like the input (core/contract/experiment-input.ts). */
export const EXPERIMENT_DEFAULTS = {
  strategies: 'p',
  seeds: 1,
  seed: 0,
  /** LM calls in flight at once, for the whole run. */
  concurrency: 16,
  timeoutSeconds: 120,
  retries: 4,
  maxErrors: null,
  evalSplits: ['dev', 'test'] as readonly ('dev' | 'test')[],
  useCache: true,
  sampling: SAMPLING_DEFAULTS,
  optimizer: {
    candidates: RANDOM_SEARCH_DEFAULTS.numCandidates,
    maxDemos: RANDOM_SEARCH_DEFAULTS.maxBootstrappedDemos,
    maxLabeled: RANDOM_SEARCH_DEFAULTS.maxLabeledDemos,
    rounds: RANDOM_SEARCH_DEFAULTS.maxRounds,
  },
} as const;

/** `tandem demo`: Iris on the demo model, the paper's eight rows over three seeds, short answers. */
export const DEMO_RUN_DEFAULTS = {
  task: 'iris',
  strategies: 'all',
  seeds: 3,
  maxTokens: 256,
} as const;

/** What the workbench's new-experiment form starts with besides the experiment defaults. */
export const NEW_EXPERIMENT_FORM_DEFAULTS = {
  task: 'iris',
  /** A prompt step, and a fine-tune after it: the paper's headline comparison. */
  strategies: 'p, p -> w',
} as const;

/** The workbench's demo card: short enough for a first launch on the embedded model. */
export const WORKBENCH_DEMO_DEFAULTS = {
  task: 'iris',
  strategies: 'p, w, p -> w',
  seeds: 1,
} as const;
