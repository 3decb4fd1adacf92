import { describeCachedFirstPage } from "@zero-to-one/contract";
import { withRedis } from "./cluster.js";
import { countingStore, startWorker } from "./workers.js";

// one user's first page, through the app of two workers signed in as that user
await withRedis("09-scale-out: GET /todo's first page", () =>
  describeCachedFirstPage("09-scale-out", { countingStore, startWorker }),
);
