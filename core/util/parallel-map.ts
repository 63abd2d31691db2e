// Runs an async function over items with at most `concurrency` in flight. Results come back in
// input order. `shouldStop` lets the caller stop launching new work (in-flight work finishes).

export interface ParallelMapOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** Checked before each launch; once true, no new items start and their slots stay undefined. */
  shouldStop?: () => boolean;
}

export async function parallelMap<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options: ParallelMapOptions,
): Promise<Array<R | undefined>> {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const results: Array<R | undefined> = new Array(items.length).fill(undefined);
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      if (options.signal?.aborted || options.shouldStop?.()) return;
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== null) throw failure;
  options.signal?.throwIfAborted();
  return results;
}
