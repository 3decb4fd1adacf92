import { describeCachedFirstPage } from "@zero-to-one/contract";
import { countingStore, startWorker } from "./workers.js";

await describeCachedFirstPage("06-cache", { countingStore, startWorker });
