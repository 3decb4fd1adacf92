import { describeNotFoundCache } from "@zero-to-one/contract";
import { createNotFoundCache } from "../src/not-found-cache.js";
import { countingStore, startWorker } from "./workers.js";

await describeNotFoundCache("06-cache", { createNotFoundCache, countingStore, startWorker });
