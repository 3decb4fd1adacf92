import { describeTodoApi, inProcess, overHttp } from "@zero-to-one/contract";
import { startServer, type ServerProcess } from "@zero-to-one/test-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { createApp } from "../src/app.js";
import { testExports } from "./exports-fixture.js";
import { createSqliteStore } from "../src/sqlite-store.js";

describeTodoApi("07-queue in-process (SQLite)", {
  level: 4,
  connect: () => inProcess(createApp({ store: createSqliteStore(":memory:"), exports: testExports() })),
});

const dir = mkdtempSync(join(tmpdir(), "zto-07-"));
let server: ServerProcess | undefined;
describeTodoApi("07-queue over HTTP (SQLite file)", {
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
