import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Verdict, count, passes } from "./requirements.js";

/** What `list` shows of an exercise's last check. */
export interface LastCheck {
  at: string;
  ok: boolean;
  built: boolean;
  /** The step's tests that passed, of how many. */
  passed?: number;
  total?: number;
  only?: string[];
}

const fileOf = (exerciseDir: string) => join(exerciseDir, ".check", "last.json");

export function saveLastCheck(exerciseDir: string, verdict: Verdict | undefined, only?: readonly string[]) {
  const last: LastCheck = {
    at: new Date().toISOString(),
    ok: verdict ? passes(verdict) : false,
    built: verdict !== undefined,
    ...(verdict ? { passed: count(verdict.requirements, "passed"), total: verdict.requirements.length } : {}),
    ...(only ? { only: [...only] } : {}),
  };
  mkdirSync(join(exerciseDir, ".check"), { recursive: true });
  writeFileSync(fileOf(exerciseDir), `${JSON.stringify(last, null, 2)}\n`);
}

export function readLastCheck(exerciseDir: string): LastCheck | undefined {
  try {
    return existsSync(fileOf(exerciseDir))
      ? (JSON.parse(readFileSync(fileOf(exerciseDir), "utf8")) as LastCheck)
      : undefined;
  } catch {
    return undefined;
  }
}
