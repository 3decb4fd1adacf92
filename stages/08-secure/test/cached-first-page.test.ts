import { describeCachedFirstPage } from "@zero-to-one/contract";
import { withRedis } from "./cluster.js";
import { countingStore, startWorker } from "./workers.js";

// one user's first page, through the app of two workers signed in as that user
await withRedis("08-secure: GET /todo's first page", () =>
  describeCachedFirstPage("08-secure", { countingStore, startWorker }),
);
