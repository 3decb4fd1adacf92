import { expectError } from "@zero-to-one/contract";
import { requestOnce } from "@zero-to-one/test-kit";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "@zero-to-one/server-kit";
import { redacted, secretUrl } from "../src/secrets.js";
import { sessionRedis, stageDir, startCluster, testRedis, type Cluster } from "./cluster.js";

/** The same Redis without its password: what a server gets when REDIS_URL leaves it out. */
const withoutPassword = (url: string) => {
  const bare = new URL(url);
  bare.password = "";
  bare.username = "";
  return bare.toString().replace(/\/$/, "");
};

describe("secrets in settings", () => {
  it("a URL in a log line never shows its password", () => {
    expect(redacted("redis://:s3cret@10.0.0.5:6379")).toBe("redis://…@10.0.0.5:6379");
    expect(redacted("mongodb://app:s3cret@db.example/todo?authSource=admin")).toBe(
      "mongodb://…@db.example/todo?authSource=admin",
    );
    expect(redacted("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
  });

  it("a malformed URL with a password is refused without repeating the password", () => {
    const setting = secretUrl(["redis:"]);
    expect(() => setting("REDIS_URL", "redis://:s3cret@host:port")).toThrow(ConfigError);
    expect(() => setting("REDIS_URL", "redis://:s3cret@host:port")).toThrow(
      /REDIS_URL="redis:\/\/…@host:port"/,
    );
    expect(() => setting("REDIS_URL", "http://:s3cret@host:6379")).toThrow(
      'REDIS_URL="http://…@host:6379" must start with redis:',
    );
    expect(setting("REDIS_URL", undefined)).toBeUndefined();
  });

  it.each([
    ["REDIS_URL", "redis://:s3cret-redis@127.0.0.1:notaport"],
    ["SESSION_REDIS_URL", "rediss://:s3cret-redis@[::1"],
    ["MONGO_URL", "mongodb://app:s3cret-mongo@db:notaport/todo"],
  ])("the server refuses a malformed %s with one line, and the password is not in it", (name, value) => {
    const run = spawnSync(process.execPath, ["dist/server.js"], {
      cwd: stageDir,
      env: { ...process.env, [name]: value },
      encoding: "utf8",
      // a server that starts anyway is killed, and the test fails instead of waiting for ever
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^config error: ${name}=`)),
    ]);
    expect(run.stdout + run.stderr).not.toContain("s3cret");
  });
});

const skipped = testRedis.skipped ?? sessionRedis.skipped;
if (skipped) console.log(`skipped: 09-scale-out, Redis that asks for a password: ${skipped}`);
const password = testRedis.redis?.password;
if (!skipped && !password)
  console.log("skipped: 09-scale-out, Redis without its password: REDIS_URL has no password");

describe.skipIf(Boolean(skipped) || !password)(
  "Redis that asks for a password (real Redis, real cluster)",
  () => {
    let cluster: Cluster | undefined;
    afterAll(async () => {
      if (cluster) expect(await cluster.stop()).toBe(0);
    });

    it("without the password the stage starts, says Redis is down (degraded), and answers sign-in with a 503, not a crash", async () => {
      cluster = await startCluster({
        REDIS_URL: withoutPassword(testRedis.redis!.url),
        SESSION_REDIS_URL: withoutPassword(sessionRedis.redis!.url),
      });
      const health = await requestOnce(`${cluster.url}/healthz`);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({
        status: "degraded",
        checks: {
          sqlite: "ok",
          redis: expect.stringMatching(/^down/),
          sessions: expect.stringMatching(/^down/),
        },
      });
      expect((await requestOnce(`${cluster.url}/healthz?require=redis`)).status).toBe(503);

      const signUp = await fetch(`${cluster.url}/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "no-password", password: "correct horse battery staple" }),
      });
      expect(signUp.headers.get("retry-after")).toBe("1");
      await expectError(signUp, 503);
      await expectError(
        await fetch(`${cluster.url}/todo`, { headers: { authorization: `Bearer ${"D".repeat(43)}` } }),
        503,
        /session store/,
      );
      expect((await requestOnce(`${cluster.url}/index`)).status).toBe(200);
      expect(cluster.child.exitCode).toBeNull(); // still running, every worker
      expect(cluster.output()).not.toMatch(/died after/);
    });

    it("with the password everything is up, and the start-up line shows the URLs without it", async () => {
      expect(await cluster!.stop()).toBe(0);
      cluster = await startCluster();
      const health = JSON.parse((await requestOnce(`${cluster.url}/healthz`)).body) as { status: string };
      expect(health.status).toBe("ok");
      expect(cluster.output()).toMatch(
        /cache: redis at redis:\/\/…@127\.0\.0\.1:\d+, sessions: redis at redis:\/\/…@/,
      );
      expect(cluster.output()).not.toContain(password!);
    });
  },
);
