import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";

export interface DeadlineOptions {
  /** The stage's deadline.ts: `createDeadline(ms)` gives `bounded(promise)`. */
  createDeadline: (ms: number) => <T>(work: Promise<T>) => Promise<T>;
  /** What `bounded` rejects with once the deadline has passed. */
  DeadlineError: new (...args: never[]) => Error;
}

/** The deadline stages 06 and 07 put on the Redis commands a request waits on. */
export function describeDeadline(label: string, { createDeadline, DeadlineError }: DeadlineOptions) {
  describe(`${label}: a deadline for the Redis commands a request waits on`, () => {
    it("passes on what settles in time, value or error", async () => {
      const bounded = createDeadline(100);
      expect(await bounded(Promise.resolve("page"))).toBe("page");
      await expect(bounded(Promise.reject(new Error("connection lost")))).rejects.toThrow("connection lost");
    });

    it("rejects what has not settled once the deadline has passed, and not long after", async () => {
      const bounded = createDeadline(100);
      const started = performance.now();
      await expect(bounded(new Promise<never>(() => {}))).rejects.toBeInstanceOf(DeadlineError);
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(99);
      expect(waited).toBeLessThan(1_000);
    });

    // in seconds, not tens of milliseconds: on a busy machine a timer can fire a hundred ms late
    it("bounds many waits with one sweep, each by its own start", async () => {
      const bounded = createDeadline(2_000);
      const first = bounded(new Promise<never>(() => {})).catch((error: unknown) => error);
      await sleep(1_200);
      // started later: it settles after the first one's deadline, and 1.6 s is within its own 2 s
      const second = bounded(sleep(1_600).then(() => "in time"));
      expect(await first).toBeInstanceOf(DeadlineError);
      expect(await second).toBe("in time");
    });
  });
}
