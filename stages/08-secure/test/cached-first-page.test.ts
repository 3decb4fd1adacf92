import { describeCachedFirstPage } from "@zero-to-one/contract";
import { countingStore, startWorker } from "./workers.js";

await describeCachedFirstPage("08-secure", { countingStore, startWorker });
