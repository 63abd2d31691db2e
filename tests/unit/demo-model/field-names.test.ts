// Output field names must be copied from the prompt, not recalled: if a few names covered the
// corpus, the model would learn to write them from memory and fail on a task's own fields (Iris's
// `species`), as a model trained on such a corpus does (scripts/demo-model/README.md).
import { describe, expect, it } from 'vitest';
import { generateEpisode, TASKS } from '../../../scripts/demo-model/corpus.ts';

describe('demo-model corpus field names', () => {
  it('draws output field names from a large space in every task that names its output', () => {
    for (const task of TASKS) {
      const names = new Set<string>();
      for (let i = 0; i < 200; i++) for (const name of Object.keys(generateEpisode(task, 0, i).answer)) if (name !== 'reasoning') names.add(name);
      expect(names.size, task).toBeGreaterThan(60);
    }
  });
});
