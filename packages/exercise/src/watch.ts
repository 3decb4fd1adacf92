import { existsSync, watch } from "node:fs";

/** How long saves must pause before a check starts: an editor saving several files makes one check. */
const QUIET_MS = 300;

/**
 * Runs `check` now and again after every save in `dir` (recursively). A save during a check makes
 * one more check once it has finished, never two at once. Runs until the process is stopped.
 */
export async function watchChecks(dir: string, check: () => Promise<number>): Promise<never> {
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const waiting = () => console.log(`\nwatching ${dir} for changes (Ctrl-C to stop)`);
  const run = async () => {
    running = true;
    do {
      again = false;
      await check().catch((error: Error) => console.error(`check failed: ${error.message}`));
    } while (again);
    running = false;
    waiting();
  };
  await run();
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  watch(dir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) again = true;
      else void run();
    }, QUIET_MS);
  });
  return new Promise<never>(() => {});
}
