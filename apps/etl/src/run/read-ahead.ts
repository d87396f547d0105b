/**
 * Yields what `source` yields, asking it for the next value as soon as the current one is handed
 * out: the producer's work (fetching, parsing and normalising page N+1) overlaps the consumer's
 * (the upsert of page N). One value at most is held ahead, so memory stays at two pages.
 * A failure of the next value surfaces when the consumer asks for it, never earlier.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let pending = iterator.next();
  try {
    for (;;) {
      const result = await pending;
      if (result.done) {
        finished = true;
        return;
      }
      pending = iterator.next();
      // Awaited on the next turn; until then a rejection must not count as unhandled.
      pending.catch(() => {});
      yield result.value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    // The consumer stopped early (its upsert failed): close the source once its pending read
    // settles (an async generator queues return() behind next()), without waiting for it here.
    if (!finished) iterator.return?.().catch(() => {});
  }
}
