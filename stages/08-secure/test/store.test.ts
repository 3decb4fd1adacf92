import { describeTodoStore } from "@zero-to-one/contract";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "../src/sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "zto-08-store-"));
describeTodoStore("08-secure SQLite", {
  level: 4,
  open: async () => createSqliteStore(join(dir, "todo.db")),
  cleanUp: async () => rmSync(dir, { recursive: true, force: true }),
});
