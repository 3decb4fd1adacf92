import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/**
 * Stops a throwaway server: SIGTERM, SIGKILL if it is still there after 5 s; then removes its
 * temporary folder. `exited` is a promise taken when the child was spawned, so no exit is missed.
 */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>, folder: string) {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(folder, { recursive: true, force: true });
}
