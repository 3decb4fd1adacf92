import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createDeadline, DeadlineError } from "../src/deadline.js";

describe("a deadline for the Redis commands a request waits on", () => {
  it("passes on what settles in time, value or error", async () => {
    const bounded = createDeadline(100);
    expect(await bounded(Promise.resolve("page"))).toBe("page");
    await expect(bounded(Promise.reject(new Error("connection lost")))).rejects.toThrow("connection lost");
  });

  it("rejects what has not settled once the deadline has passed, and not long after", async () => {
    const bounded = createDeadline(100);
    const started = performance.now();
    const never = new Promise<never>(() => {});
    await expect(bounded(never)).rejects.toBeInstanceOf(DeadlineError);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(99);
    expect(waited).toBeLessThan(1_000);
  });

  it("bounds many waits with one sweep, each by its own start", async () => {
    const bounded = createDeadline(100);
    const first = bounded(new Promise<never>(() => {})).catch((error: unknown) => error);
    await sleep(60);
    const second = bounded(sleep(80).then(() => "in time")); // started later: 80 ms is within its 100
    expect(await first).toBeInstanceOf(DeadlineError);
    expect(await second).toBe("in time");
  });
});
