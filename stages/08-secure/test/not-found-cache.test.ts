import { describeNotFoundCache } from "@zero-to-one/contract";
import { createNotFoundCache } from "../src/not-found-cache.js";
import { countingStore, startWorker } from "./workers.js";

await describeNotFoundCache("08-secure", { createNotFoundCache, countingStore, startWorker });
