// Whether the embedded demo model is installed (it is built by `npm run train:demo-model`).
import type { ModelList } from '../../api/types.ts';

import { DEMO_MODEL_NAME } from '../../../../core/contract/defaults.ts';

export const DEMO_MODEL = DEMO_MODEL_NAME;

export type DemoModelState = 'installed' | 'missing' | 'unknown';

export function demoModelState(models: ModelList | null): DemoModelState {
  if (!models) return 'unknown';
  return models.models.some((m) => m.name === DEMO_MODEL && !m.problem) ? 'installed' : 'missing';
}
