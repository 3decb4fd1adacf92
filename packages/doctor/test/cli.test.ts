import { runNode } from "@zero-to-one/test-kit";
import { describe, expect, it } from "vitest";
import { fakeBin } from "./fake-bin.js";

const packageDir = new URL("..", import.meta.url).pathname;

/** `npm run doctor` as the root script runs it (tsx, from source), seeing only `env`. */
const doctor = (args: string[], env: NodeJS.ProcessEnv) =>
  runNode(["--import", "tsx", "src/cli.ts", ...args], { cwd: packageDir, env });

const envOf = (bin: ReturnType<typeof fakeBin>, extra: NodeJS.ProcessEnv = {}) => ({
  PATH: bin.bin,
  HOME: bin.root,
  ...extra,
});

// each test starts the real CLI through tsx, once or twice: seconds on a machine busy with other suites
describe("npm run doctor", { timeout: 30_000 }, () => {
  it("prints the table with ✓ and ✗, and exits 0 though optional tools are missing", async () => {
    const bin = fakeBin();
    bin.add("redis-server");
    const run = await doctor([], envOf(bin));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}✓ redis-server +7\.0\.15 /m);
    expect(run.stdout).toMatch(/^ {2}✗ nginx +- /m);
    expect(run.stdout).toContain("To install what is missing");
  });

  it("--json: each tool's name, found, version, what it enables and how to install it", async () => {
    const bin = fakeBin();
    bin.add("redis-server");
    const run = await doctor(["--json"], envOf(bin));
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout) as {
      ok: boolean;
      fingerprint: string;
      tools: { name: string; found: boolean; version: string | null; enables: string; install: unknown[] }[];
    };
    expect(json.ok).toBe(true);
    const redis = json.tools.find((t) => t.name === "redis-server");
    expect(redis).toMatchObject({ found: true, version: "7.0.15", source: `${bin.bin}/redis-server` });
    expect(redis?.enables).toContain("stages 06–09");
    const nginx = json.tools.find((t) => t.name === "nginx");
    expect(nginx).toMatchObject({ found: false, version: null });
    expect(nginx?.install).toContainEqual({ os: "debian", command: "sudo apt-get install nginx-light" });
    expect(nginx?.install).toContainEqual({ os: "macos", command: "brew install nginx" });
    expect(json.tools.map((t) => t.name)).toEqual([
      "Node.js",
      "redis-server",
      "redis-sentinel",
      "nginx",
      "openssl",
      "Chromium",
      "wrk",
      "k6",
      "MongoDB wire",
      "Flask",
      "gunicorn",
      "gevent",
      "Go",
    ]);
  });

  it("--fingerprint: one line that changes when a tool is installed, and only then", async () => {
    const bin = fakeBin();
    const before = await doctor(["--fingerprint"], envOf(bin));
    expect(before.status).toBe(0);
    expect(before.stdout).toMatch(
      /^node=v\d+\.\d+\.\d+ redis-server=- redis-sentinel=- nginx=- openssl=- chromium=\S+ ferretdb=- wrk=- k6=- flask=\S+ gunicorn=- gevent=\S+ mongo_url=unset redis_url=unset\n$/,
    );
    expect((await doctor(["--fingerprint"], envOf(bin))).stdout).toBe(before.stdout);

    bin.add("redis-server");
    bin.add("ferretdb");
    bin.add("openssl");
    const after = await doctor(["--fingerprint"], envOf(bin, { MONGO_URL: "mongodb://localhost/todo" }));
    expect(after.stdout).toBe(
      before.stdout
        .replace("redis-server=-", "redis-server=7.0.15")
        .replace("openssl=-", "openssl=3.0.15")
        .replace("ferretdb=-", "ferretdb=v1.24.2")
        .replace("mongo_url=unset", "mongo_url=set"),
    );
  });

  it("shows a MONGO_URL without its password, in the table and in --json", async () => {
    const bin = fakeBin();
    const env = envOf(bin, { MONGO_URL: "mongodb://alice:s3cret@db.example:27017/todo" });
    const [text, json] = await Promise.all([doctor([], env), doctor(["--json"], env)]);
    expect(text.stdout).toContain(
      "MONGO_URL is set: the suites and the tour's --store mongo use mongodb://alice:***@db.example:27017/todo",
    );
    expect(text.stdout).toMatch(/^ {2}✓ MongoDB wire +MONGO_URL /m);
    expect(text.stdout + json.stdout).not.toContain("s3cret");
  });

  it("rejects an unknown option with its usage and exit code 2", async () => {
    const run = await doctor(["--jsno"], envOf(fakeBin()));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: npm run doctor [-- --json | --fingerprint]");
  });
});
