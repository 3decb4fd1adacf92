import type { Sent } from "./load.js";

/** The requests that did not succeed, by what the client got. */
export interface Errors {
  /** 5xx: the lb's JSON 503 (no API host answered), or an API host's own 5xx. */
  "5xx": number;
  /** 429: a limit refused it. */
  "429": number;
  /** 401: the session behind the token was not found (lost with a Redis that died). */
  "401": number;
  /** Any other 4xx: a todo the client was told about and is not found (404), say. */
  "4xx": number;
  /** No answer at all: refused, reset, or none within the client's timeout. */
  network: number;
}

export const succeeded = (s: Sent) => s.status >= 200 && s.status < 300;

export function errorsOf(sent: readonly Sent[]): Errors {
  const errors: Errors = { "5xx": 0, "429": 0, "401": 0, "4xx": 0, network: 0 };
  for (const s of sent) {
    if (succeeded(s)) continue;
    if (s.status === 0) errors.network++;
    else if (s.status >= 500) errors["5xx"]++;
    else if (s.status === 429) errors["429"]++;
    else if (s.status === 401) errors["401"]++;
    else errors["4xx"]++;
  }
  return errors;
}

/** How long every request must succeed for the service to count as whole again. */
export const WHOLE_FOR_MS = 3_000;

/**
 * How long after `failedAt` the service was whole again, in ms: from the end of the last request
 * that failed (from then on every request succeeded), provided the load went on for WHOLE_FOR_MS
 * after it with requests that all succeeded. 0 when nothing failed; undefined when it was not
 * whole again before the load stopped.
 */
export function wholeAgainAfter(sent: readonly Sent[], failedAt: number): number | undefined {
  const failures = sent.filter((s) => !succeeded(s));
  const lastFailure = Math.max(failedAt, ...failures.map((s) => s.doneAt));
  const after = sent.filter((s) => s.sentAt >= lastFailure);
  const lastSent = Math.max(...sent.map((s) => s.sentAt));
  if (after.length === 0 || lastSent - lastFailure < WHOLE_FOR_MS) return undefined;
  return lastFailure - failedAt;
}

/** How many requests each API host answered among `sent`. */
export function servedBy(sent: readonly Sent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of sent) if (s.servedBy) counts[s.servedBy] = (counts[s.servedBy] ?? 0) + 1;
  return counts;
}

/** The requests sent within [from, to). */
export const sentBetween = (sent: readonly Sent[], from: number, to = Infinity) =>
  sent.filter((s) => s.sentAt >= from && s.sentAt < to);
