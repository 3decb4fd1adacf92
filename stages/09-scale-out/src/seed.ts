import { ApiError, createProgress, integer, readConfigOrExit, text } from "@zero-to-one/server-kit";
import { parseArgs } from "node:util";
import { checkNewPassword, checkUsername, hashPassword } from "./accounts.js";
import { renderFirstPage } from "./app.js";
import { cacheSettings, redactedRedisUrl } from "./cache-settings.js";
import { createFirstPageCache } from "./first-page-cache.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import { seededTodos } from "./seed-data.js";
import { now } from "./store.js";

const usage =
  "usage: npm run seed -- [--count N] [--user NAME] [--reset]   " +
  "(N defaults to 10,000, as in the article; the todos belong to NAME, demo by default)";

let args;
try {
  args = parseArgs({
    options: {
      count: { type: "string" },
      user: { type: "string" },
      reset: { type: "boolean" },
      help: { type: "boolean" },
    },
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
// SEED_PASSWORD: the password of an account the seed creates; from the environment, never an argument
const config = readConfigOrExit({ ...storeSettings, ...cacheSettings, SEED_PASSWORD: text("") });
const username = (args.user ?? "demo").toLowerCase();
try {
  checkUsername(username);
  if (config.SEED_PASSWORD) checkNewPassword(config.SEED_PASSWORD, "SEED_PASSWORD");
} catch (error) {
  console.error(
    `${error instanceof ApiError ? error.message.replace('the field "username"', "--user") : String(error)}`,
  );
  process.exit(1);
}
const { store, description } = await openStoreOrExit(config);

// every todo belongs to an account: the seeded ones to --user, made here if it does not exist yet
let owner = (await store.findAccount(username))?.id;
if (!owner) {
  const hash = config.SEED_PASSWORD ? await hashPassword(config.SEED_PASSWORD) : null;
  // (another seed may have made it a moment ago: then it is that one)
  owner = (await store.addUser(username, hash))?.id ?? (await store.findAccount(username))!.id;
  console.log(
    hash
      ? `created the account ${username} with the password in SEED_PASSWORD`
      : `created the account ${username} without a password: no one can log in as it ` +
          "(seed a new account with SEED_PASSWORD set to give it one)",
  );
}

if (args.reset) {
  await store.clear(owner, "all");
  console.log(`--reset: removed every todo of ${username} from ${description}`);
}
// Idempotent: the same N twice leaves N seeded todos; another N replaces them.
// Todos created through the API are kept (unless --reset).
const existing = await store.countSeeded(owner);
if (existing === count) {
  console.log(
    `${description}: ${username} already holds ${count.toLocaleString("en-US")} seeded todos: nothing to do`,
  );
} else {
  if (existing > 0) await store.clear(owner, "seeded");
  const progress = createProgress(`seeding ${description} for ${username}`, count);
  await store.insertSeeded(owner, seededTodos(count, Math.floor(now())), (done) => progress.update(done));
  progress.finish();
}

// The seed writes behind the API's back; like every write, it must drop the cached first page.
const firstPage = createFirstPageCache({
  redisUrl: config.REDIS_URL,
  onWrite: config.CACHE_ON_WRITE,
  freshMs: config.CACHE_FRESH_MS,
  protection: config.CACHE_PROTECTION,
  load: (account) => renderFirstPage(store, account),
  log: () => {},
});
if (await firstPage.whenUp(1_000)) {
  await firstPage.invalidate(owner);
  const done = config.CACHE_ON_WRITE === "refresh" ? "refreshed" : "invalidated";
  console.log(`cache: first page ${done} for ${username} in ${redactedRedisUrl(config.REDIS_URL)}`);
} else {
  console.log(
    `cache: Redis at ${redactedRedisUrl(config.REDIS_URL)} did not answer; a running server may show ` +
      `the old first page until its cache entry expires (CACHE_FRESH_MS, 10 s by default)`,
  );
}
await firstPage.close();
await store.close();
