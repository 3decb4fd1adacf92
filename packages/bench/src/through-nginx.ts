import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, nginxConfigOn, startNginx } from "@zero-to-one/test-kit";

/** nginx in front of one running stage, for the scenarios that go through it. */
export interface FrontNginx {
  url: string;
  /** nginx's `Server` header on an answer that came from the stage through it, e.g. "nginx/1.22.1". */
  via: string;
  /** What nginx logged (warnings and worse), one line, or undefined when it said nothing. */
  complaints: () => string | undefined;
  stop: () => Promise<void>;
}

/**
 * Starts nginx in front of a running stage the way a learner does (`npm run nginx` in the stage):
 * the stage's own nginx.conf, only its two ports moved (listen on a free port, upstream the stage's),
 * in a temporary prefix. It is ready once a `GET /healthz` sent to nginx comes back from the stage.
 */
export async function startStageNginx(stageDir: string, stageUrl: string): Promise<FrontNginx> {
  const file = join(stageDir, "nginx.conf");
  if (!existsSync(file)) throw new Error(`${stageDir} has no nginx.conf`);
  const listen = await freePort();
  const upstream = Number(new URL(stageUrl).port);
  const started = await startNginx({
    config: nginxConfigOn(readFileSync(file, "utf8"), { listen, upstream }),
    port: listen,
  });
  if (!started.nginx) throw new Error(started.skipped);
  const nginx = started.nginx;
  try {
    const res = await fetch(`${nginx.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json().catch(() => undefined)) as { status?: string } | undefined;
    const via = res.headers.get("server") ?? "";
    if (res.status !== 200 || body?.status !== "ok" || !via.startsWith("nginx")) {
      throw new Error(
        `GET /healthz through nginx answered ${res.status} (server: ${via || "none"}), not the stage's ok`,
      );
    }
    return { url: nginx.url, via, complaints: () => complaintsIn(nginx.output()), stop: nginx.stop };
  } catch (error) {
    await nginx.stop();
    throw error;
  }
}

/**
 * nginx's error log as one line: its most frequent message with a count, and how many others.
 * "[alert] 1024 worker_connections are not enough (×588)" says why a row has errors.
 */
export function complaintsIn(log: string): string | undefined {
  const counts = new Map<string, number>();
  for (const line of log.split("\n")) {
    const message = line
      .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, "")
      .replace(/ \d+#\d+: (\*\d+ )?/, " ")
      .replace(/, client: .*$/, "")
      .trim();
    if (message) counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  if (sorted.length === 0) return undefined;
  const [message, count] = sorted[0]!;
  const others = sorted.length > 1 ? `, and ${sorted.length - 1} other message(s)` : "";
  return `${message}${count > 1 ? ` (×${count})` : ""}${others}`;
}
