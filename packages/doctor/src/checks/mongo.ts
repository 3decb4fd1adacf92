import { type Check, type Context, printed, probeProgram } from "../check.js";
import { satisfies } from "./node.js";
import { redactUrl } from "../redact.js";

/**
 * A MongoDB-wire server, found the way test-kit's startTestMongo looks: MONGO_URL first, else a
 * throwaway FerretDB when `ferretdb` is on PATH. FerretDB 2 has no SQLite handler, so only 1.x counts.
 */
export async function checkMongo(ctx: Context): Promise<Check> {
  const ferret = await probeProgram(ctx, "ferretdb", ["--version"], /version:\s*(v?\d\S*)/);
  const url = ctx.env["MONGO_URL"];
  const ferretUsable = ferret.ran?.ran === true && !/^v?([2-9]|\d\d)/.test(ferret.version ?? "");
  const notes: string[] = [];
  if (url) {
    notes.push(`MONGO_URL is set: the suites and the tour's --store mongo use ${redactUrl(url)}`);
    if (ferret.path) notes.push(`ferretdb ${ferret.version} is on PATH too; MONGO_URL comes first`);
  } else if (ferretUsable) {
    notes.push(
      `the suites and the tour's --store mongo start a throwaway FerretDB ${ferret.version} (${ferret.path})`,
    );
  }
  if (ferret.path && !ferretUsable) {
    notes.push(`ferretdb ${ferret.version} has no SQLite handler, which the tests use: install v1.24.2`);
  }
  if (ferret.offPath) notes.push(ferret.offPath);
  if (!url && !ferretUsable) {
    notes.push(
      "with neither, the suites try mongodb-memory-server, which downloads mongod when it can reach fastdl.mongodb.org",
    );
  }
  return {
    name: "MongoDB wire",
    found: Boolean(url) || ferretUsable,
    ...(url ? {} : ferret.version ? { version: ferret.version } : {}),
    ...((url ?? ferret.path) ? { source: url ? "MONGO_URL" : ferret.path } : {}),
    enables: "stages 03–09: their MongoDB suites, and npm run tour -- --store mongo",
    install: [
      {
        os: "any",
        command: "bash scripts/install-ferretdb.sh",
        note: "needs Go; builds FerretDB v1.24.2 once (a few minutes), links ferretdb into /usr/local/bin or ~/.local/bin",
      },
      {
        os: "any",
        command: "docker compose up -d && export MONGO_URL=mongodb://localhost:27017/todo",
        note: "Docker: a real MongoDB 8.0 from the repository's docker-compose.yml",
      },
    ],
    notes,
    fingerprint: { ferretdb: printed(ferret), mongo_url: url ? "set" : "unset" },
  };
}

/** Go matters only as the way to build FerretDB; 1.21+ fetches the newer toolchain FerretDB asks for. */
export async function checkGo(ctx: Context): Promise<Check> {
  const go = await probeProgram(ctx, "go", ["version"], /\bgo(\d+(?:\.\d+)+)/);
  const runs = go.ran?.status === 0;
  const recent = runs && (go.version === "unknown" || satisfies(go.version ?? "0", ">=1.21"));
  const notes: string[] = [];
  if (runs && !recent)
    notes.push(`Go ${go.version} is too old for scripts/install-ferretdb.sh: it needs 1.21+`);
  if (go.offPath) notes.push(go.offPath);
  return {
    name: "Go",
    found: recent,
    ...(go.version ? { version: go.version } : {}),
    ...(go.path ? { source: go.path } : {}),
    enables: "building FerretDB with bash scripts/install-ferretdb.sh (1.21+)",
    install: [
      {
        os: "debian",
        command: "sudo apt-get install golang",
        note: "Ubuntu 24.04+, Debian 13+; Debian 12's Go 1.19 is too old",
      },
      { os: "macos", command: "brew install go" },
      { os: "any", command: "https://go.dev/doc/install" },
    ],
    notes,
    info: true,
    installWith: ["MongoDB wire"],
  };
}
