import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, nginxConfigOn, requestOnce, startNginx } from "@zero-to-one/test-kit";

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
 * the stage's own nginx.conf, only its ports moved (listen on a free port, upstream the stage's),
 * in a temporary prefix. With `tls` (stage 08 on), the scenario goes to its HTTPS server, with a
 * certificate the stage's own `npm run cert` script makes in a temporary folder, and its limit_req
 * rates raised: one address sends the whole load, and the limit would answer most of it with 429s
 * (the zones are still looked up on every request, so what they cost is measured). It is ready
 * once a `GET /healthz` sent to nginx comes back from the stage.
 */
export async function startStageNginx(
  stageDir: string,
  stageUrl: string,
  { tls = false }: { tls?: boolean } = {},
): Promise<FrontNginx> {
  const file = join(stageDir, "nginx.conf");
  if (!existsSync(file)) throw new Error(`${stageDir} has no nginx.conf`);
  const listen = await freePort();
  const upstream = Number(new URL(stageUrl).port);
  const tlsPort = tls ? await freePort() : undefined;
  const certDir = tlsPort ? makeCertificate(stageDir) : undefined;
  const removeCertificate = () => certDir && rmSync(certDir, { recursive: true, force: true });
  let config: string;
  try {
    const placed = certDir && tlsPort ? { tls: { port: tlsPort, certDir } } : {};
    config = nginxConfigOn(readFileSync(file, "utf8"), { listen, upstream, ...placed });
    if (tlsPort) config = limitsRaised(config, file);
  } catch (error) {
    removeCertificate();
    throw error;
  }
  // startNginx waits for any answer on `port`: the plain-HTTP one redirects to HTTPS, which fetch
  // follows and refuses (self-signed); plain HTTP to the TLS port gets nginx's own 400, which counts
  const started = await startNginx({ config, port: tlsPort ?? listen });
  if (!started.nginx) {
    removeCertificate();
    throw new Error(started.skipped);
  }
  const nginx = started.nginx;
  const stop = async () => {
    await nginx.stop();
    removeCertificate();
  };
  const url = tlsPort ? `https://127.0.0.1:${tlsPort}` : nginx.url;
  try {
    const ca = certDir ? readFileSync(join(certDir, "cert.pem"), "utf8") : undefined;
    const reply = await requestOnce(`${url}/healthz`, { ca, timeoutMs: 10_000 });
    const body = parsed(reply.body);
    const via = String(reply.headers["server"] ?? "");
    if (reply.status !== 200 || body?.status !== "ok" || !via.startsWith("nginx")) {
      throw new Error(
        `GET /healthz through nginx answered ${reply.status} (server: ${via || "none"}), not the stage's ok`,
      );
    }
    return { url, via, complaints: () => complaintsIn(nginx.output()), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A JSON body, or null for anything else (nginx's own HTML error page, say). */
function parsed(body: string): { status?: string } | null {
  try {
    return JSON.parse(body) as { status?: string } | null;
  } catch {
    return null;
  }
}

/** A limit_req rate no single load generator reaches. */
const UNLIMITED = "1000000r/s";

/** The config with every limit_req zone's rate raised to UNLIMITED; throws if one cannot be. */
export function limitsRaised(config: string, file: string): string {
  const raised = config.replace(/(limit_req_zone [^;]* rate=)\d+r\/[sm];/g, `$1${UNLIMITED};`);
  const zones = raised.split("limit_req_zone ").length - 1;
  if (raised.split(`rate=${UNLIMITED};`).length - 1 !== zones) {
    throw new Error(`${file}: a limit_req_zone whose rate this tour cannot raise`);
  }
  return raised;
}

/** A self-signed certificate for 127.0.0.1 by the stage's own script, in a temporary folder. */
function makeCertificate(stageDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), "zto-bench-tls-"));
  const made = spawnSync("sh", ["scripts/make-cert.sh", dir], { cwd: stageDir, encoding: "utf8" });
  if (made.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `making a certificate with ${stageDir}/scripts/make-cert.sh failed: ${made.stderr.trim()}`,
    );
  }
  return dir;
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
