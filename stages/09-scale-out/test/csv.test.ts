import { describe, expect, it } from "vitest";
import { CSV_HEADER, csvField, csvRow } from "../src/csv.js";
import { parseCsv } from "./helpers.js";

describe("CSV escaping", () => {
  it("leaves plain text alone and quotes a field with a comma, a quote or a line break", () => {
    expect(csvField("buy milk")).toBe("buy milk");
    expect(csvField("eggs, bread")).toBe('"eggs, bread"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("cr\rinside")).toBe('"cr\rinside"');
  });

  it("defuses what a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("a = b")).toBe("a = b");
  });

  it("writes a todo in the API's units, and a reader gets every character back", () => {
    const nasty = '好好学习, "天天" 向上\r\nnew line';
    const line = csvRow({ id: "t1", content: nasty, created_at: 1.5, is_finished: true, finished_at: 2.25 });
    const unfinished = csvRow({
      id: "t2",
      content: "x",
      created_at: 3,
      is_finished: false,
      finished_at: null,
    });
    const rows = parseCsv(CSV_HEADER.slice(1) + line + unfinished);
    expect(rows).toEqual([
      ["id", "content", "created_at", "is_finished", "finished_at"],
      ["t1", nasty, "1.5", "true", "2.25"],
      ["t2", "x", "3", "false", ""],
    ]);
  });

  it("starts with a UTF-8 byte-order mark so spreadsheets read Chinese text correctly", () => {
    expect(Buffer.from(CSV_HEADER).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
