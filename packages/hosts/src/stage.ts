import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./state.js";

/** The stages that can run on several hosts: their server and worker read the topology's settings. */
export const MULTI_HOST_STAGES = ["08-secure", "09-scale-out"] as const;

const stagesDir = join(REPO_ROOT, "stages");
export const stageDir = (stage: string) => join(stagesDir, stage);

/** 09-scale-out once it exists in this checkout (its package.json), else 08-secure. */
export function defaultStage(): string {
  return existsSync(join(stageDir("09-scale-out"), "package.json")) ? "09-scale-out" : "08-secure";
}

/** `--stage 08`, `--stage 08-secure`: the stage's folder name, or an error naming the choices. */
export function resolveStage(given: string | undefined): string {
  if (given === undefined) return defaultStage();
  const present = readdirSync(stagesDir).filter((name) =>
    (MULTI_HOST_STAGES as readonly string[]).includes(name),
  );
  const match = present.find((name) => name === given || name.slice(0, 2) === given);
  if (!match) {
    throw new Error(`--stage ${JSON.stringify(given)}: expected one of ${present.join(", ")} (or 08, 09)`);
  }
  return match;
}

/** What the hosts run of the stage: it must be built (npm run build). */
export function stageProblem(stage: string): string | undefined {
  const dir = stageDir(stage);
  const missing = ["dist/server.js", "dist/worker.js", "dist/mongo-store.js", "nginx.conf"].filter(
    (file) => !existsSync(join(dir, file)),
  );
  return missing.length === 0
    ? undefined
    : `stages/${stage} is not built (no ${missing.join(", ")}): run npm run build`;
}
