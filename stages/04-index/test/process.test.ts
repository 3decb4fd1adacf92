import { describeServerProcess } from "@zero-to-one/contract";

describeServerProcess("04-index", {
  level: 4,
  stageDir: new URL("..", import.meta.url).pathname,
  startUpLine: /listening on http:\/\/127\.0\.0\.1:\d+\/todo \(store: sqlite at .*restart\.db\)/,
});
