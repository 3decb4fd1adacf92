/** What a command that outlived its deadline rejects with: the cache then serves from the store. */
export class DeadlineError extends Error {
  override name = "DeadlineError";
}

/**
 * Bounds how long a request waits for Redis: `bounded(promise)` rejects after `ms` if the promise
 * has not settled by then (a Redis that hangs rather than disconnects). One timer sweeps every
 * pending command. node-redis's own per-command `timeout` does the same with an AbortSignal.timeout()
 * for each command, which under load cost a worker more CPU than its whole cache hit (chapter 06).
 */
export function createDeadline(ms: number) {
  const pending = new Set<{ at: number; reject: (error: Error) => void }>();
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () => {
    const now = performance.now();
    for (const entry of pending) {
      if (entry.at > now) continue;
      pending.delete(entry);
      entry.reject(new DeadlineError(`Redis did not answer within ${ms} ms`));
    }
    if (pending.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  return function bounded<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = { at: performance.now() + ms, reject };
      pending.add(entry);
      // a deadline is kept to within a fifth of it
      sweeper ??= setInterval(sweep, Math.max(10, ms / 5)).unref();
      work.then(
        (value) => {
          pending.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          pending.delete(entry);
          reject(error as Error);
        },
      );
    });
  };
}
