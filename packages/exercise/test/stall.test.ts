import { afterEach, describe, expect, it, vi } from "vitest";
import { stallWatch } from "../src/stall.js";

describe("a run that stops moving", () => {
  afterEach(() => vi.useRealTimers());

  it("is noticed once nothing has happened for the limit, and only then", () => {
    vi.useFakeTimers();
    const onStall = vi.fn();
    const watch = stallWatch(10_000, onStall);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(8_000);
      watch.moved();
    }
    expect(onStall).not.toHaveBeenCalled();
    vi.advanceTimersByTime(12_000);
    expect(onStall).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(onStall).toHaveBeenCalledTimes(1);
  });

  it("is not watched any more once the run has ended", () => {
    vi.useFakeTimers();
    const onStall = vi.fn();
    stallWatch(10_000, onStall).stop();
    vi.advanceTimersByTime(60_000);
    expect(onStall).not.toHaveBeenCalled();
  });
});
