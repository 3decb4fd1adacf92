import { describeTodoApi, inProcess, overHttp } from "@zero-to-one/contract";
import { startServer, type ServerProcess } from "@zero-to-one/test-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { createApp } from "../src/app.js";
import { createSqliteStore } from "../src/sqlite-store.js";

describeTodoApi("04-index in-process (SQLite)", {
  level: 4,
  connect: () => inProcess(createApp({ store: createSqliteStore(":memory:") })),
});

const dir = mkdtempSync(join(tmpdir(), "zto-04-"));
let server: ServerProcess | undefined;
describeTodoApi("04-index over HTTP (SQLite file)", {
  level: 4,
  connect: async () => {
    server = await startServer({
      cwd: new URL("..", import.meta.url).pathname,
      // a folder that does not exist yet: the server creates it
      env: { DB_PATH: join(dir, "new-folder", "todo.db"), MONGO_URL: "" },
    });
    return overHttp(server.url);
  },
});
afterAll(async () => {
  expect(await server?.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});
