// One fine-tune at a time per run. Seeds run concurrently (see seed-pool.ts), so several `w`
// stages can reach their trainer together; they queue here in arrival order while the other
// seeds keep using the LM. Why: the LM server is what every other seed waits on, and on the
// 2-core machine the local engine keeps one core busy serving them; one trainer takes the other.
// A second trainer would take CPU from the engine, and each trainer holds its own copy of the
// base model and optimizer state (on a GPU, two can run out of memory). What it costs is small:
// measured on 2 cores, two trainers at once finish in 1.1x the time of one (demo model: 33 s vs
// 30 s; an 11M model: 159 s vs 137 s), so running them side by side would save at most about one
// job's time, and the demo's fine-tunes take 6-9 s of a 14-minute run.

import { Limiter } from '../lm/concurrency.ts';
import { FinetuneError, type Finetuner } from '../finetune/finetuner.ts';

export function oneFinetuneAtATime(inner: Finetuner): Finetuner {
  const slot = new Limiter(1);
  return {
    name: inner.name,
    // Loading a trained adapter into the engine is cheap and needs no turn.
    attach: (adapterName, adapterDir, base) => inner.attach(adapterName, adapterDir, base),
    finetune: async (job, options = {}) => {
      if (slot.active > 0) options.onEvent?.({ type: 'log', line: 'waiting for another seed’s fine-tune to finish (one trains at a time)' });
      let release: () => void;
      try {
        release = await slot.acquire(options.signal);
      } catch {
        throw new FinetuneError('fine-tuning was cancelled while it waited for its turn');
      }
      try {
        return await inner.finetune(job, options);
      } finally {
        release();
      }
    },
  };
}
