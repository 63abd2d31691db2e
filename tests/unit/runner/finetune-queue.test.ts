import { describe, expect, it } from 'vitest';
import { FinetuneError, PAPER_HYPERPARAMS, type FinetuneEvent, type FinetuneJob, type Finetuner } from '../../../core/finetune/finetuner.ts';
import { sleep } from '../../../core/lm/concurrency.ts';
import { oneFinetuneAtATime } from '../../../core/runner/finetune-queue.ts';

const base = { provider: 'openai' as const, model: 'm' };
const job = (name: string): FinetuneJob => ({ base, trainFile: 't.jsonl', validFile: null, outDir: `/tmp/${name}`, adapterName: name, hyperparams: PAPER_HYPERPARAMS });

function slowFinetuner(log: string[]): Finetuner {
  return {
    name: 'slow',
    attach: async (adapterName) => ({ ...base, model: adapterName }),
    finetune: async (j) => {
      log.push(`start ${j.adapterName}`);
      await sleep(20);
      log.push(`end ${j.adapterName}`);
      return { adapterDir: j.outDir, binding: { ...base, model: j.adapterName }, trainRows: 1, skipped: {}, seconds: 0.02, losses: [] };
    },
  };
}

describe('oneFinetuneAtATime', () => {
  it('trains one job at a time, in the order they asked, and says when one waits', async () => {
    const log: string[] = [];
    const queued = oneFinetuneAtATime(slowFinetuner(log));
    const events: FinetuneEvent[] = [];
    await Promise.all([queued.finetune(job('a')), queued.finetune(job('b'), { onEvent: (e) => events.push(e) }), queued.finetune(job('c'))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(events).toEqual([{ type: 'log', line: expect.stringMatching(/^waiting for another seed’s fine-tune/) }]);
  });

  it('a job cancelled while it waits never starts, and the queue moves on', async () => {
    const log: string[] = [];
    const queued = oneFinetuneAtATime(slowFinetuner(log));
    const controller = new AbortController();
    const first = queued.finetune(job('a'));
    const waiting = queued.finetune(job('b'), { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(FinetuneError);
    await first;
    await queued.finetune(job('c'));
    expect(log).toEqual(['start a', 'end a', 'start c', 'end c']);
  });

  it('frees the turn when a job fails', async () => {
    const queued = oneFinetuneAtATime({
      name: 'broken',
      attach: async () => base,
      finetune: async () => {
        throw new FinetuneError('boom');
      },
    });
    await expect(queued.finetune(job('a'))).rejects.toThrow('boom');
    await expect(queued.finetune(job('b'))).rejects.toThrow('boom'); // not stuck waiting
  });
});
