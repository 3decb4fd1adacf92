import { describe, expect, it } from "vitest";
import { cleanOutput } from "../src/terminal.js";

describe("cleanOutput", () => {
  it("keeps the last drawing of a line redrawn in place, as a progress bar leaves it", () => {
    const bar = "\r\x1b[2Kseeding ██░░ 50% 5/10\r\x1b[2Kseeding ████ 100% 10/10 done in 0.1 s\n";
    expect(cleanOutput(`before\n${bar}after\n`)).toBe("before\nseeding ████ 100% 10/10 done in 0.1 s\nafter");
  });

  it("drops colours, and a spinner that was erased leaves nothing", () => {
    expect(cleanOutput("\x1b[32mok\x1b[0m\n⠙\x1b[1G\x1b[0K\n\x1b[1mdone\x1b[22m\n")).toBe("ok\n\ndone");
  });

  it("overwrites only what a shorter redraw covers, unless the line was erased", () => {
    expect(cleanOutput("12345\rab\n")).toBe("ab345");
    expect(cleanOutput("12345\r\x1b[Kab\n")).toBe("ab");
  });

  it("reads a pseudo-terminal's line ends and trims blank lines and spaces at the edges", () => {
    expect(cleanOutput("\r\n\r\nfirst  \r\nsecond\r\n\r\n")).toBe("first\nsecond");
    expect(cleanOutput("\r\n")).toBe("");
  });
});
