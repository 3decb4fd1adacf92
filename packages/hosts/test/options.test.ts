import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../src/options.js";

describe("the command line", () => {
  it("reads up's options", () => {
    expect(
      parseCommand(["up", "--api", "2", "--cpu", "0.5", "--delay", "20", "--stage", "08", "--workers", "2"]),
    ).toEqual({
      command: "up",
      keep: false,
      options: { apiHosts: 2, cpu: 0.5, delayMs: 20, stage: "08", workers: 2 },
    });
    expect(parseCommand(["down"])).toEqual({ command: "down" });
    expect(parseCommand(["status"])).toEqual({ command: "status" });
  });

  it("reads drill's and scale's", () => {
    expect(parseCommand(["drill", "kill-api"])).toEqual({
      command: "drill",
      drills: ["kill-api"],
      keep: false,
      docs: false,
    });
    expect(parseCommand(["drill", "all", "--keep", "--docs"])).toEqual({
      command: "drill",
      drills: ["kill-api", "cut-api", "kill-redis-primary", "kill-worker", "stop-replica", "restore"],
      keep: true,
      docs: true,
    });
    expect(parseCommand(["scale", "--cpu", "0.4", "--duration", "5", "--rounds", "2"])).toEqual({
      command: "scale",
      docs: false,
      options: { cpu: 0.4, durationSec: 5, rounds: 2, connections: undefined },
    });
    expect(parseCommand(["scale", "--docs"])).toMatchObject({ command: "scale", docs: true });
  });

  it.each([
    [["up", "--api", "4"], /--api "4": expected a whole number from 1 to 3/],
    [
      ["drill", "kill-api", "--docs"],
      /--docs writes the chapter's table of every drill: say drill all --docs/,
    ],
    [["up", "--docs"], /--docs goes with drill or scale only/],
    [["up", "--api", "1.5"], /--api "1.5"/],
    [["up", "--cpu", "0"], /--cpu "0": expected a number from 0.01/],
    [["up", "--cpu", "half"], /--cpu "half"/],
    [["up", "--delay", "0"], /--delay "0": expected a whole number from 1 to 10000/],
    [["up", "--workers", "3"], /--workers "3"/],
    [["down", "--api", "2"], /--api goes with up only/],
    [["sideways"], /unknown command "sideways"/],
    [[], /say up, down, status, drill or scale/],
    [["up", "--color"], /Unknown option '--color'/],
    [["drill"], /say which drill: kill-api, cut-api/],
    [["drill", "kill-everything"], /no drill named "kill-everything"/],
    [["drill", "kill-api", "--cpu", "1"], /--cpu goes with up or scale only/],
    [["scale", "--keep"], /--keep goes with up or drill only/],
    [["scale", "--rounds", "0"], /--rounds "0": expected a whole number from 1 to 20/],
  ])("refuses %j with a line that says why", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
