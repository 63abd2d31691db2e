// One fine-tune at a time per run. Seeds run concurrently (see seed-pool.ts), so several `w`
// stages can reach their trainer together; they queue here in arrival order while the other
// seeds keep using the LM. Why not train them side by side: the local trainer is compute-bound
// and already uses every core (torch's intra-op threads, one per core); two at once oversubscribe
// the cores, and each then runs more than twice as slow (threads preempt each other mid-matmul),
// and each holds its own copy of the base model. An external trainer usually owns a whole GPU the
// same way. Serialized, every job trains at full speed and the total is no longer.

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
