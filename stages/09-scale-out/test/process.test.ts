import { describeServerProcess } from "@zero-to-one/contract";
import {
  REDIS_URL,
  SEED_PASSWORD,
  sessionRedis,
  signInAsSeeded,
  stageDir,
  startCluster,
  withRedis,
} from "./cluster.js";

// level 3: `npm run explain` shows the owner's index since this stage (plans.test.ts checks it);
// signed in as the account `npm run seed` fills, whose todos the suite counts
await withRedis("09-scale-out: the server process", () =>
  describeServerProcess("09-scale-out", {
    level: 3,
    stageDir,
    startCluster,
    signIn: signInAsSeeded,
    env: { REDIS_URL, SESSION_REDIS_URL: sessionRedis.REDIS_URL, SEED_PASSWORD },
    startUpLine:
      /listening on http:\/\/127\.0\.0\.1:\d+\/todo \(store: sqlite at .*restart\.db, cache: redis at redis:\/\/…@127\.0\.0\.1:\d+, sessions: redis at redis:\/\/…@127\.0\.0\.1:\d+, 2 workers: pids \d+, \d+; primary pid \d+\)/,
  }),
);
