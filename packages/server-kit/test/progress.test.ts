import { describe, expect, it } from "vitest";
import { createProgress } from "../src/progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe("createProgress", () => {
  it("prints one line per tenth in a log, then a final line with the elapsed time", () => {
    const { writes, stream } = fakeStream(false);
    let now = 0;
    const progress = createProgress("seed", 1000, stream, () => now);
    for (let done = 0; done <= 1000; done += 50) {
      now += 100;
      progress.update(done);
    }
    progress.finish();
    expect(writes).toHaveLength(12);
    expect(writes[5]).toMatch(/^seed █+░+\s+50% 500\/1,000 ~\d\.\d s left\n$/);
    expect(writes.at(-1)).toMatch(/^seed █{24} 100% 1,000\/1,000 done in 2\.1 s\n$/);
  });

  it("redraws in place on a terminal", () => {
    const { writes, stream } = fakeStream(true);
    let now = 0;
    const progress = createProgress("tour", 4, stream, () => now);
    now = 1000;
    progress.update(1, "stage 02 · list");
    const [first = ""] = writes;
    expect(first.startsWith("\r\u001b[2K")).toBe(true);
    expect(first.slice(5)).toMatch(/^tour .* 25% 1\/4 ~3\.0 s left stage 02 · list$/);
  });
});
