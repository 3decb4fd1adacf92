import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAnnotation } from "../src/annotation.js";
import { formatFailure } from "../src/failure.js";
import { runBlock } from "../src/run-block.js";
import { blockName, blocksToRun, shellBlocks } from "../src/shell-blocks.js";
import { block, repository } from "./fixture.js";

/** A small server run by `npm start` in stages/01-app/: answers /index with JSON, anything else 404; exits EXIT_CODE on SIGTERM. */
const APP = {
  "stages/01-app/package.json":
    '{ "name": "app", "private": true, "scripts": { "start": "node server.cjs", "test": "true" } }\n',
  "stages/01-app/server.cjs": [
    'const http = require("node:http");',
    "const server = http.createServer((req, res) => {",
    '  const found = req.url === "/index";',
    '  res.writeHead(found ? 200 : 404, { "content-type": "application/json" });',
    '  res.end(JSON.stringify(found ? { msg: "hello world", id: "t-1" } : { error: "not found" }));',
    "});",
    'server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));',
    'process.on("SIGTERM", () => server.close(() => process.exit(Number(process.env.EXIT_CODE ?? 0))));',
    "",
  ].join("\n"),
  "docker-compose.yml": "services:\n  mongo:\n    image: mongo:8.0\n  redis:\n    image: redis:7-alpine\n",
};

/** The chapter docs/01.md with `text`, in a repository that has the app; its blocks and their annotation failures. */
function chapter(text: string) {
  const root = repository({ ...APP, "docs/01.md": text });
  const { blocks, failures } = shellBlocks(root, ["docs/01.md"]);
  return { root, blocks, failures: failures.map(formatFailure) };
}

const FAST = { readyTimeoutMs: 20_000, stopTimeoutMs: 10_000, lineTimeoutMs: 20_000 };

async function run(text: string, env?: NodeJS.ProcessEnv) {
  const { root, blocks } = chapter(text);
  const result = await runBlock(root, blocks[0]!, { ...FAST, ...(env ? { env } : {}) });
  return { ...result, failures: result.failures.map(formatFailure) };
}

describe("annotations", () => {
  it("read the keys of docs:run and the reason of docs:skip", () => {
    expect(
      parseAnnotation(
        '<!-- docs:run with="npm run stage -- 02" needs=redis-server,nginx cwd=stages/06-cache each -->',
      ),
    ).toEqual({
      kind: "run",
      cwd: "stages/06-cache",
      needs: ["redis-server", "nginx"],
      with: ["npm run stage -- 02"],
      replace: [],
      help: [],
      each: true,
    });
    expect(
      parseAnnotation('<!-- docs:run replace="--count 1000000 → --count 2000" because="time" -->'),
    ).toMatchObject({
      replace: [{ from: "--count 1000000", to: "--count 2000" }],
      because: "time",
    });
    expect(parseAnnotation('<!-- docs:skip because="an example run: its pids differ" -->')).toEqual({
      kind: "skip",
      because: "an example run: its pids differ",
    });
  });

  it("refuse an unknown key, and a replace, help or skip that does not say why", () => {
    expect(parseAnnotation("<!-- docs:run service=redis -->")).toMatchObject({
      error: /unknown key "service"/,
    });
    expect(parseAnnotation('<!-- docs:run replace="1000000 → 2000" -->')).toMatchObject({ error: /because/ });
    expect(parseAnnotation('<!-- docs:run help="npm run tour" -->')).toMatchObject({ error: /because/ });
    expect(parseAnnotation("<!-- docs:skip -->")).toMatchObject({ error: /because/ });
    expect(parseAnnotation('<!-- docs:run replace="2000" because="time" -->')).toMatchObject({ error: /→/ });
  });

  it("are checked against their block without running it", () => {
    const text = [
      '<!-- docs:run replace="--count 5 → --count 1" because="time" -->',
      block("sh", "npm run seed -- --count 10"),
      "",
      "<!-- docs:run each -->",
      "",
      "Some prose.",
      "",
      block("sh", "docker compose up -d mongo", "docker compose up -d postgres"),
    ].join("\n");
    expect(chapter(text).failures).toEqual([
      'docs/01.md:1: replace: "--count 5" is not in the block',
      "docs/01.md:6: a docs:run or docs:skip annotation must be right before a ```sh block",
      'docs/01.md:12: docker compose: docker-compose.yml defines no service "postgres" (it has mongo, redis)',
    ]);
  });

  it("of a translation are its English page's: a whole run runs such a block once, under the English name", () => {
    const english = [
      '<!-- docs:run with="npm start" -->',
      block("sh", "curl -i localhost:8000/index   # 200"),
    ];
    const root = repository({
      ...APP,
      "docs/01.md": ["# 01", "", ...english, "", block("sh", "npm test")].join("\n"),
      "docs/zh/01.md": ["# 01 {#_01}", "", ...english, "", block("sh", "npm test -- --changed")].join("\n"),
    });
    const { blocks, failures } = shellBlocks(root, ["docs/01.md", "docs/zh/01.md"]);
    expect(failures).toEqual([]);
    expect(blocks.map(blockName)).toEqual([
      "docs/01.md:4",
      "docs/01.md:8",
      "docs/zh/01.md:4",
      "docs/zh/01.md:8",
    ]);
    // the one that differs from every English block runs too
    expect(blocksToRun(blocks).map(blockName)).toEqual(["docs/01.md:4", "docs/01.md:8", "docs/zh/01.md:8"]);
  });
});

describe("running a block", { timeout: 60_000 }, () => {
  it("fails on a command that exits non-zero, naming the chapter's line and showing the output", async () => {
    const result = await run(
      ["# 01", "", block("sh", "echo fine", "node -e 'console.error(\"boom\"); process.exit(3)'")].join("\n"),
    );
    expect(result.failures).toEqual([
      "docs/01.md:5: `node -e 'console.error(\"boom\"); process.exit(3)'` exited 3 (in the repository root)\n    boom",
    ]);
  });

  it("fails on curl's use of httpie's shorthand :8000", async () => {
    const result = await run(block("sh", "cd stages/01-app", "npm start", "curl -si :8000/index"));
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(
      /^docs\/01\.md:4: `curl -si :8000\/index` exited 3 \(in stages\/01-app\)/,
    );
  });

  it("starts npm start on a free port, runs the lines against it and checks the status in a comment", async () => {
    const result = await run(
      block(
        "sh",
        "cd stages/01-app",
        "npm start                                   # the server, in the background",
        "curl -i http://127.0.0.1:8000/index          # 200, the hello",
        "curl -i http://127.0.0.1:8000/nope           # 200",
      ),
    );
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(
      /^docs\/01\.md:5: `curl -i http:\/\/127\.0\.0\.1:8000\/nope` answered 404, but its comment says 200\n {4}HTTP\/1\.1 404 Not Found/,
    );
  });

  it("wants the status a comment names to be printed", async () => {
    const result = await run(
      block("sh", "cd stages/01-app", "npm start", "curl -s http://127.0.0.1:8000/index   # 200"),
    );
    expect(result.failures).toEqual([
      'docs/01.md:4: the comment says 200, but `curl -s http://127.0.0.1:8000/index` prints no status line (curl shows it with -i)\n    {"msg":"hello world","id":"t-1"}',
    ]);
  });

  it("fails when a server does not exit 0 on SIGTERM", async () => {
    const result = await run(
      block("sh", "cd stages/01-app", "EXIT_CODE=1 npm start", "curl -s http://127.0.0.1:8000/index"),
    );
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(
      /^docs\/01\.md:3: `EXIT_CODE=1 npm start` exited 1 on SIGTERM, not 0\n/,
    );
  });

  it("takes <id> from an earlier command's JSON, and fails when none printed it", async () => {
    const filled = await run(
      block(
        "sh",
        "cd stages/01-app",
        "npm start",
        "curl -s http://127.0.0.1:8000/index",
        'test "<id>" = t-1',
      ),
    );
    expect(filled.failures).toEqual([]);
    const missing = await run(block("sh", "echo '{}'", "echo <id>"));
    expect(missing.failures).toEqual(['docs/01.md:3: <id>: no command before it in the block printed "id"']);
  });

  it("keeps variables and folders for the next lines, and accepts diff's exit 1", async () => {
    const result = await run(
      block(
        "sh",
        "cd stages",
        'name=$(node -p \'"01-" + "app"\')',
        'test -d "$name"',
        "diff -r 01-app ../docs",
      ),
    );
    expect(result.failures).toEqual([]);
  });

  it("starts what `with` names first, and leaves npm test to the root's and docker compose to the learner", async () => {
    const text = [
      '<!-- docs:run with="cd stages/01-app && npm start" -->',
      block(
        "sh",
        "docker compose up -d redis",
        "curl -s http://127.0.0.1:8000/index",
        "cd stages/01-app && npm test",
      ),
    ].join("\n");
    const result = await run(text);
    expect(result.failures).toEqual([]);
    expect(result.notes).toEqual([
      "docs/01.md:3: docker compose is for a learner's machine: never run, its service checked",
      "docs/01.md:5: npm test in stages/01-app is run by the root npm test",
    ]);
  });

  it("prints one skip line, and runs nothing, when a service is missing", async () => {
    // a PATH with bash and node but no httpie
    const bin = mkdtempSync(join(tmpdir(), "docs-check-path-"));
    for (const program of ["bash", "node"]) symlinkSync(which(program), join(bin, program));
    const { root, blocks } = chapter(block("sh", "touch ran", "http :8000/index"));
    const result = await runBlock(root, blocks[0]!, { ...FAST, env: { ...process.env, PATH: bin } });
    expect(result).toEqual({ skipped: "skipped: docs/01.md:1 needs httpie", failures: [], notes: [] });
    expect(existsSync(join(root, "ran"))).toBe(false);
    rmSync(bin, { recursive: true, force: true });
  });

  it("never runs a block marked docs:skip, and says why", async () => {
    const result = await run(
      ['<!-- docs:skip because="an example: its pids differ" -->', block("sh", "kill -9 7817")].join("\n"),
    );
    expect(result.skipped).toBe("skipped: docs/01.md:2 is never run: an example: its pids differ");
  });
});

/** Where a program is on this machine's PATH. */
const which = (program: string) =>
  (process.env["PATH"] ?? "")
    .split(delimiter)
    .map((dir) => join(dir, program))
    .find((path) => existsSync(path))!;
