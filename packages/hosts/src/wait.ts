import { setTimeout as sleep } from "node:timers/promises";
import { logTail } from "./logs.js";

/** `up` was interrupted (Ctrl-C): whatever waits gives up at once. */
export class Interrupted extends Error {
  override name = "Interrupted";
}

/** A part of the topology that did not become ready: its name, why, and the end of its log. */
export class PartFailed extends Error {
  override name = "PartFailed";
  constructor(
    readonly part: string,
    reason: string,
    readonly log?: string,
  ) {
    const tail = log ? logTail(log) : "";
    super(`${part} is not ready: ${reason}` + (tail ? `\n--- last lines of ${log} ---\n${tail}` : ""));
  }
}

export interface WaitOptions {
  part: string;
  timeoutMs: number;
  /** The part's log, quoted when it fails. */
  log?: string;
  signal?: AbortSignal;
  /** Stops waiting early: the process that should become ready has exited. */
  gone?: () => Promise<boolean>;
  /** Told every few seconds while it waits, and once when it is ready. */
  progress?: (line: string) => void;
}

/** Retries `check` until it resolves; past the deadline (or once `gone`) the part has failed. */
export async function waitUntil(check: () => Promise<unknown>, options: WaitOptions): Promise<void> {
  const { part, timeoutMs, log, signal, gone, progress } = options;
  const started = Date.now();
  let lastError: string;
  let nextNote = started + 5_000;
  for (;;) {
    if (signal?.aborted) throw new Interrupted(`interrupted while waiting for ${part}`);
    try {
      await check();
      progress?.(`${part} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (gone && (await gone())) throw new PartFailed(part, `it exited (last check: ${lastError})`, log);
    if (Date.now() - started > timeoutMs) {
      throw new PartFailed(part, `not ready after ${timeoutMs / 1000} s: ${lastError}`, log);
    }
    if (Date.now() > nextNote) {
      progress?.(`still waiting for ${part} (${Math.round((Date.now() - started) / 1000)} s): ${lastError}`);
      nextNote += 5_000;
    }
    await sleep(200);
  }
}
