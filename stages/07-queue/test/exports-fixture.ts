import { startTestRedis } from "@zero-to-one/test-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { exportFiles } from "../src/export-files.js";
import { createExportQueue, type ExportQueue } from "../src/queue.js";

/**
 * What createApp needs for the export routes, for the tests of everything else: a queue on a real
 * Redis (REDIS_URL, or a throwaway redis-server) and a temporary export folder, closed after the file.
 */
const started = await startTestRedis();
const queues: ExportQueue[] = [];
const dir = mkdtempSync(join(tmpdir(), "zto-07-exports-"));
afterAll(async () => {
  for (const queue of queues) await queue.close();
  await started.redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

export const redisSkipped = started.skipped;

export function testExports() {
  if (!started.redis) throw new Error(`no Redis for the export queue: ${started.skipped}`);
  const queue = createExportQueue({ redisUrl: started.redis.url, attempts: 1, backoffMs: 0 });
  queues.push(queue);
  return { queue, files: exportFiles(dir), pageSize: 100 };
}
