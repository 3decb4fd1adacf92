import { describeServerProcess } from "@zero-to-one/contract";

describeServerProcess("03-mongo", {
  level: 3,
  stageDir: new URL("..", import.meta.url).pathname,
  startUpLine: /listening on http:\/\/127\.0\.0\.1:\d+\/todo \(store: sqlite at .*restart\.db\)/,
});
