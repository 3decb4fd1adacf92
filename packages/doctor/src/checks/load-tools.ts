import { type Check, type Context, printed, probeProgram } from "../check.js";

const K6_INSTALL = "https://grafana.com/docs/k6/latest/set-up/install-k6/";

/** The bench's wrk probe: any wrk that starts counts (`wrk -v` exits 1). */
export async function checkWrk(ctx: Context): Promise<Check> {
  const wrk = await probeProgram(ctx, "wrk", ["-v"], /wrk (?:debian\/)?(\d[\d.]*)/);
  return {
    name: "wrk",
    found: wrk.ran?.ran === true,
    ...(wrk.version ? { version: wrk.version } : {}),
    ...(wrk.path ? { source: wrk.path } : {}),
    enables: "the article's load tool: npm run tour -- --tool wrk",
    install: [
      { os: "debian", command: "sudo apt-get install wrk" },
      { os: "macos", command: "brew install wrk" },
    ],
    notes: wrk.offPath ? [wrk.offPath] : [],
    fingerprint: { wrk: printed(wrk) },
  };
}

/** The bench's k6 probe: `k6 version` must succeed. */
export async function checkK6(ctx: Context): Promise<Check> {
  const k6 = await probeProgram(ctx, "k6", ["version"], /k6 (v[\w.-]+)/);
  return {
    name: "k6",
    found: k6.ran?.status === 0,
    ...(k6.version ? { version: k6.version } : {}),
    ...(k6.path ? { source: k6.path } : {}),
    enables: "the tour's default load tool when on PATH (else autocannon, bundled)",
    install: [
      {
        os: "debian",
        command: "sudo apt-get install k6",
        note: "after adding Grafana's apt repository as the page below shows: Debian's and Ubuntu's own have no k6",
      },
      { os: "macos", command: "brew install k6" },
      { os: "any", command: K6_INSTALL },
    ],
    notes: k6.offPath ? [k6.offPath] : [],
    fingerprint: { k6: printed(k6) },
  };
}
