import { describeKeysetPaging } from "@zero-to-one/contract";
import { createApp } from "../src/app.js";
import * as cursors from "../src/cursor.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";

describeKeysetPaging({
  open: createSqliteStore,
  seededTodos,
  app: (store) => createApp({ store }),
  cursors,
});
