/**
 * Notices a test run that has stopped moving: a test stuck in an endless loop, or waiting
 * synchronously for a process that never ends, blocks its worker, and vitest's own timeouts cannot
 * interrupt it. Every reporter event counts as progress; `limitMs` without one calls `onStall`.
 */
export function stallWatch(limitMs: number, onStall: () => void) {
  let last = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - last > limitMs) {
      clearInterval(timer);
      onStall();
    }
  }, 1_000);
  timer.unref();
  return {
    moved: () => void (last = Date.now()),
    stop: () => clearInterval(timer),
  };
}
