import { createProgress, integer, readConfigOrExit } from "@zero-to-one/server-kit";
import { parseArgs } from "node:util";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import { seededTodos } from "./seed-data.js";
import { now } from "./store.js";

const usage = "usage: npm run seed -- [--count N] [--reset]   (N defaults to 10,000, as in the article)";

let args;
try {
  args = parseArgs({
    options: { count: { type: "string" }, reset: { type: "boolean" }, help: { type: "boolean" } },
  }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(1);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const { "--count": count } = readConfigOrExit(
  { "--count": integer(10_000, { min: 0, max: 10_000_000 }) },
  { "--count": args.count },
);
const config = readConfigOrExit(storeSettings);
const { store, description } = await openStoreOrExit(config);

if (args.reset) {
  await store.clear("all");
  console.log(`--reset: removed every todo from ${description}`);
}
// Idempotent: the same N twice leaves N seeded todos; another N replaces them.
// Todos created through the API are kept (unless --reset).
const existing = await store.countSeeded();
if (existing === count) {
  console.log(`${description} already holds ${count.toLocaleString("en-US")} seeded todos: nothing to do`);
} else {
  if (existing > 0) await store.clear("seeded");
  const progress = createProgress(`seeding ${description}`, count);
  await store.insertSeeded(seededTodos(count, Math.floor(now())), (done) => progress.update(done));
  progress.finish();
}
await store.close();
