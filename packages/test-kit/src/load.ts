export interface Outcome {
  /** ms since the load started */
  startedAt: number;
  endedAt: number;
  /** the HTTP status, when an answer came back */
  status?: number;
  /** what went wrong on the wire (refused, reset, timeout), when no answer came back */
  error?: string;
  /** anything the caller returned for this request, e.g. the id of a created todo */
  note?: string;
}

export interface LoadOptions {
  /** How many requests are in flight at once. */
  concurrency: number;
  /** A hard limit: the loop stops by itself after this long even if nobody calls stop(). */
  maxMs: number;
  /** Sends request number `n` and reports its status (and an optional note); a throw counts as an error. */
  send: (n: number) => Promise<{ status: number; note?: string }>;
}

export interface Load {
  /** Everything that finished so far, in finishing order. */
  outcomes: Outcome[];
  /** ms since the load started, on the same clock as the outcomes. */
  now: () => number;
  /** Stops starting new requests and resolves once the ones in flight have finished. */
  stop: () => Promise<Outcome[]>;
}

/**
 * Steady, bounded load for reliability tests: `concurrency` lanes each send one request after
 * another until stop() or `maxMs`. It measures nothing about speed; it records what happened to
 * every request so a test can ask "did any fail, and when?".
 */
export function startLoad({ concurrency, maxMs, send }: LoadOptions): Load {
  const started = performance.now();
  const now = () => performance.now() - started;
  const outcomes: Outcome[] = [];
  let running = true;
  let n = 0;
  const timer = setTimeout(() => (running = false), maxMs);

  const lane = async () => {
    while (running) {
      const startedAt = now();
      try {
        const { status, note } = await send(n++);
        outcomes.push({ startedAt, endedAt: now(), status, ...(note === undefined ? {} : { note }) });
      } catch (error) {
        const code = (error as { code?: string }).code;
        outcomes.push({ startedAt, endedAt: now(), error: code ?? String(error) });
        // a refused connection fails at once: do not spin on it
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: concurrency }, lane));

  return {
    outcomes,
    now,
    stop: async () => {
      running = false;
      clearTimeout(timer);
      await lanes;
      return outcomes;
    },
  };
}
