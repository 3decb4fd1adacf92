import { describeTodoApi, inProcess, overHttp } from "@zero-to-one/contract";
import { startServer, startTestRedis, type ServerProcess } from "@zero-to-one/test-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect } from "vitest";
import { createApp, renderFirstPage } from "../src/app.js";
import { testExports } from "./exports-fixture.js";
import { createFirstPageCache } from "../src/first-page-cache.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { newNamespace } from "./workers.js";

const started = await startTestRedis();
if (started.skipped) console.log(`skipped: ${started.skipped}`);
const redis = started.redis;

const dir = mkdtempSync(join(tmpdir(), "zto-07-"));
let server: ServerProcess | undefined;
const closing: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.all(closing.map((close) => close()));
  if (server) expect(await server.stop()).toBe(0);
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!redis)("07-queue with Redis", () => {
  describeTodoApi("07-queue in-process (SQLite, cached first page)", {
    level: 4,
    connect: async () => {
      const store = createSqliteStore(":memory:");
      const firstPage = createFirstPageCache({
        redisUrl: redis!.url,
        namespace: newNamespace(),
        load: () => renderFirstPage(store),
      });
      closing.push(() => firstPage.close());
      await firstPage.whenUp(5_000);
      return inProcess(createApp({ store, firstPage, exports: testExports() }));
    },
  });

  describeTodoApi("07-queue over HTTP (2 workers, SQLite file, Redis)", {
    level: 4,
    connect: async () => {
      server = await startServer({
        cwd: new URL("..", import.meta.url).pathname,
        env: { DB_PATH: join(dir, "todo.db"), MONGO_URL: "", WORKERS: "2", REDIS_URL: redis!.url },
        readyPath: "/healthz?require=redis",
        timeoutMs: 30_000,
      });
      return overHttp(server.url);
    },
  });
});
