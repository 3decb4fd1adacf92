import { describeTodoApi, inProcess, overHttp } from "@zero-to-one/contract";
import { startServer, startTestRedis, type ServerProcess } from "@zero-to-one/test-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect } from "vitest";
import { createApp, renderFirstPage } from "../src/app.js";
import { createFirstPageCache } from "../src/first-page-cache.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { newNamespace } from "./workers.js";

const started = await startTestRedis();
if (started.skipped) console.log(`skipped: ${started.skipped}`);
const redis = started.redis;

const dir = mkdtempSync(join(tmpdir(), "zto-06-"));
let server: ServerProcess | undefined;
const closing: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.all(closing.map((close) => close()));
  if (server) expect(await server.stop()).toBe(0);
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!redis)("06-cache with Redis", () => {
  describeTodoApi("06-cache in-process (SQLite, cached first page)", {
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
      return inProcess(createApp({ store, firstPage }));
    },
  });

  describeTodoApi("06-cache over HTTP (2 workers, SQLite file, Redis)", {
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
