import { describeTodoStore } from "@zero-to-one/contract";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "../src/sqlite-store.js";
import { ownedBy } from "./signed-in.js";

const dir = mkdtempSync(join(tmpdir(), "zto-09-store-"));
/** The one owner of what the shared suite writes: the same after a reopen. */
const owner = "0f6c8a52-1d2b-4c47-9a0e-6b1f4d3e2a10";

// every promise of the stages before, for one owner's todos (owners.test.ts keeps owners apart)
describeTodoStore("09-scale-out SQLite", {
  level: 4,
  open: async () => ownedBy(createSqliteStore(join(dir, "todo.db")), owner),
  cleanUp: async () => rmSync(dir, { recursive: true, force: true }),
});
