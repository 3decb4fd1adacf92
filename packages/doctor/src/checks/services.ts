import { type Check, type Context, printed, probeProgram } from "../check.js";
import { redactUrl } from "../redact.js";

export async function checkRedis(ctx: Context): Promise<Check> {
  const program = await probeProgram(ctx, "redis-server", ["--version"], /\bv=(\S+)/);
  const url = ctx.env["REDIS_URL"];
  const notes: string[] = [];
  if (url) {
    notes.push(`REDIS_URL is set: the tests use ${redactUrl(url)}`);
    if (!program.path)
      notes.push("stages 07–09's restart tests still need redis-server: they start their own");
  }
  if (program.offPath) notes.push(program.offPath);
  return {
    name: "redis-server",
    // the tests start a throwaway redis-server whenever it is on PATH (test-kit's startTestRedis)
    found: program.ran?.ran === true || Boolean(url),
    ...(program.version ? { version: program.version } : {}),
    ...((program.path ?? url) ? { source: program.path ?? "REDIS_URL" } : {}),
    enables: "stages 06–09: their tests, npm run stage -- 06/07/08/09, the tour's rows for 06–09",
    install: [
      { os: "debian", command: "sudo apt-get install redis-server" },
      { os: "macos", command: "brew install redis" },
      {
        os: "any",
        command: "docker compose up -d && export REDIS_URL=redis://localhost:6379",
        note: "Docker, with the repository's docker-compose.yml",
      },
    ],
    notes,
    fingerprint: { "redis-server": printed(program), redis_url: url ? "set" : "unset" },
  };
}

export async function checkRedisSentinel(ctx: Context): Promise<Check> {
  const program = await probeProgram(ctx, "redis-sentinel", ["--version"], /\bv=(\S+)/);
  return {
    name: "redis-sentinel",
    // test-kit's startTestSentinel starts three of them, beside two redis-servers
    found: program.ran?.ran === true,
    ...(program.version ? { version: program.version } : {}),
    ...(program.path ? { source: program.path } : {}),
    enables: "stage 09's failover test: Redis through Sentinel, its primary killed",
    install: [
      { os: "debian", command: "sudo apt-get install redis-sentinel" },
      { os: "macos", command: "brew install redis", note: "redis-sentinel comes with it" },
    ],
    notes: program.offPath ? [program.offPath] : [],
    fingerprint: { "redis-sentinel": printed(program) },
  };
}

export async function checkNginx(ctx: Context): Promise<Check> {
  const program = await probeProgram(ctx, "nginx", ["-v"], /nginx\/(\S+)/);
  return {
    name: "nginx",
    found: program.ran?.ran === true,
    ...(program.version ? { version: program.version } : {}),
    ...(program.path ? { source: program.path } : {}),
    enables: "stages 05–09: the behind-nginx tests, the tour's list-c1000 and list-tls rows",
    install: [
      { os: "debian", command: "sudo apt-get install nginx-light" },
      { os: "macos", command: "brew install nginx" },
    ],
    notes: program.offPath ? [program.offPath] : [],
    fingerprint: { nginx: printed(program) },
  };
}
