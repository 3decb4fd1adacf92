import { describe, expect, it } from "vitest";
import { isTheArticles } from "../src/article-measures.js";
import { columnUnit, measuresIn } from "../src/measures.js";

const found = (text: string) => measuresIn(text).map((m) => `${m.value} ${m.unit}`);

describe("measured numbers", () => {
  it("are numbers with a unit of time, rate, ratio, share or size", () => {
    expect(found("the first page took 636 ms, the cursor 22 µs and the seed 5.5 s")).toEqual([
      "636 ms",
      "22 µs",
      "5.5 s",
    ]);
    expect(found("12,773 req/s, 43 requests per second, 1,000 requests a second")).toEqual([
      "12773 req/s",
      "43 req/s",
      "1000 req/s",
    ]);
    expect(found("×29 faster, 0.88× of D, 2.4 times stage 04's, about 3.4 times more")).toEqual([
      "29 ×",
      "0.88 ×",
      "2.4 ×",
      "3.4 ×",
    ]);
    expect(found("21% of its CPU, 70 % of connections, 850 KB, 85 MB, 24 GiB")).toEqual([
      "21 %",
      "70 %",
      "850 KB",
      "85 MB",
      "24 GiB",
    ]);
    expect(found("a 3,600-second expiry, 12–15 minutes")).toEqual(["3600 s", "12 min", "15 min"]);
    expect(found("892 req/s (3.4 times), 0.92 times stage 05")).toEqual(["892 req/s", "3.4 ×", "0.92 ×"]);
  });

  it("give the unit of a range's end to its start, and to a range in brackets after a measure", () => {
    expect(found("2.2 – 5.0 ms, 2 to 5 ms, 5–6 ms")).toEqual([
      "2.2 ms",
      "5.0 ms",
      "2 ms",
      "5 ms",
      "5 ms",
      "6 ms",
    ]);
    expect(found("between 5.5 and 15 s")).toEqual(["5.5 s", "15 s"]);
    expect(found("10,780 req/s (8,892 – 13,350)")).toEqual(["10780 req/s", "8892 req/s", "13350 req/s"]);
    expect(found("0.21 ms (depth 9,990)")).toEqual(["0.21 ms"]);
  });

  it("leave counts, versions, dates, names and repetitions alone", () => {
    expect(
      found(
        "10,000 todos on 2 cores, Node 20.20, wrk 4.1.0, v20.20.2, 2026-11-27 01:50, p99, RFC 4180, " +
          "a todo 20 times and reads, the 1990s, stage 05, 1,000 connections, 200 concurrent creates",
      ),
    ).toEqual([]);
  });

  it("read a translation's units as the English ones: 毫秒 is ms, 倍 is ×, 每秒 43 个请求 is 43 req/s", () => {
    expect(
      found(
        "每秒 43 个请求，每秒处理 863 个；3.4 倍，146 毫秒，25 微秒，5 秒，3,600 秒，1 分钟，21％，850 字节，43 次/秒",
      ),
    ).toEqual([
      "43 req/s",
      "863 req/s",
      "3.4 ×",
      "146 ms",
      "25 µs",
      "5 s",
      "3600 s",
      "1 min",
      "21 %",
      "850 B",
      "43 req/s",
    ]);
    expect(found("2 到 5 毫秒，5.5 至 15 秒")).toEqual(["2 ms", "5 ms", "5.5 s", "15 s"]);
    expect(found("10,000 条 todo，2 个核，1 次，20 次，阶段 05，1,000 个连接")).toEqual([]);
    expect(columnUnit("耗时（毫秒）")).toBe("ms");
    expect(columnUnit("每秒请求数")).toBe("req/s");
  });

  it("take a table column's unit from a header that names it bare", () => {
    expect(columnUnit("p99 ms")).toBe("ms");
    expect(columnUnit("CPU µs / request")).toBe("µs");
    expect(columnUnit("req/s")).toBe("req/s");
    expect(columnUnit("GET /todo answered per s (of 1,000 asked)")).toBe("req/s");
    expect(columnUnit("exports completed in 4 s")).toBeUndefined();
    expect(columnUnit("10,000 rows")).toBeUndefined();
    expect(columnUnit("what it does")).toBeUndefined();
  });
});

describe("the article's numbers", () => {
  const article = (text: string) => measuresIn(text).map(isTheArticles);

  it("are the ones it printed, quoted as printed or by their whole part", () => {
    expect(article("43 requests per second, 298 req/s, 1,128 req/s, 2,992 req/s, 500 ms, 1.22 s")).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(article("2,993 req/s, 2992.8 req/s, 44 req/s, 501 ms")).toEqual([false, false, false, false]);
  });

  it("include a ratio of two of its Requests/sec, rounded to the digits written", () => {
    // 298.34 / 43.20, 863.35 / 298.34, 2992.79 / 892.04
    expect(article("×7, ×2.9, 3.4 times more")).toEqual([true, true, true]);
    expect(article("×29, ×3.7")).toEqual([false, false]);
  });
});
