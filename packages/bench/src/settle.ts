/** How long the tour waits for a server to answer quickly again after a load. */
export const SETTLE_MS = 60_000;

/**
 * Waits until the server answers `path` quickly again (within 50 ms). A load tool stops sending
 * when its time is up, but the server may still be working through the requests already in flight
 * (100 slow list requests can take seconds); the next measurement must not pay for them.
 * False when it is still busy after `timeoutMs`.
 */
export async function settle(url: string, path: string, timeoutMs = SETTLE_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const started = Date.now();
    try {
      await (await fetch(`${url}${path}`)).arrayBuffer();
      if (Date.now() - started < 50) return true;
    } catch {
      // busy or resetting connections; try again
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
