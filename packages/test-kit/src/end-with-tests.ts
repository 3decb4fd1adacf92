import type { ChildProcess } from "node:child_process";

/**
 * Throwaway servers still running, each with the signal that stops it. They are stopped when the test
 * process ends, even before their `afterAll`: `vitest list` runs only the top level of a file, and a
 * runner may end its worker with a signal, which skips "exit".
 */
const running = new Map<ChildProcess, NodeJS.Signals>();
const stopRunning = () => {
  for (const [child, signal] of running) child.kill(signal);
};
process.on("exit", stopRunning);
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.once(signal, () => {
    stopRunning();
    // unless someone else handles that signal, die of it as the process would have
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/** Stops `child` with `signal` when this process ends, unless it has exited by then. */
export function endWithTests(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL") {
  running.set(child, signal);
  child.once("exit", () => running.delete(child));
}
