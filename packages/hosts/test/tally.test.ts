import { describe, expect, it } from "vitest";
import { errorsOf, wholeAgainAfter } from "../src/tally.js";
import type { Sent } from "../src/load.js";

/** A request sent at `at` ms, answered `ms` later with `status` (0: no answer). */
const sent = (at: number, status = 200, ms = 10): Sent => ({
  action: "list",
  account: "a",
  sentAt: at,
  doneAt: at + ms,
  status,
});
/** One request every 100 ms from `from` to `to`. */
const steady = (from: number, to: number, status = 200) =>
  Array.from({ length: (to - from) / 100 }, (_, i) => sent(from + i * 100, status));

describe("the drills' tally", () => {
  it("counts failed requests by what the client got", () => {
    const errors = errorsOf([
      sent(0),
      sent(1, 201),
      sent(2, 503),
      sent(3, 502),
      sent(4, 429),
      sent(5, 401),
      sent(6, 404),
      sent(7, 0),
    ]);
    expect(errors).toEqual({ "5xx": 2, "429": 1, "401": 1, "4xx": 1, network: 1 });
  });

  it("says the service was whole again from the end of the last failed request", () => {
    const load = [...steady(0, 5_000), ...steady(5_000, 7_000, 503), ...steady(7_000, 12_000)];
    // the failure at 5 s; the last 503 was sent at 6.9 s and answered 10 ms later
    expect(wholeAgainAfter(load, 5_000)).toBe(1_910);
  });

  it("counts a request that hung until it failed until its end", () => {
    const load = [...steady(0, 15_000), sent(5_000, 0, 6_000)];
    expect(wholeAgainAfter(load, 5_000)).toBe(6_000);
  });

  it("is 0 when nothing failed, and undefined when the load ended before 3 s of successes", () => {
    expect(wholeAgainAfter(steady(0, 10_000), 5_000)).toBe(0);
    const load = [...steady(0, 5_000), ...steady(5_000, 8_000, 0), ...steady(8_000, 10_000)];
    expect(wholeAgainAfter(load, 5_000)).toBeUndefined();
  });
});
