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
 * Without redis-server the queue points at an address where nothing listens: the export routes then
 * answer 503, as the stage does when Redis is down, and everything else works.
 */
const started = await startTestRedis({ requirePassword: true });
const queues: ExportQueue[] = [];
const dir = mkdtempSync(join(tmpdir(), "zto-09-exports-"));
afterAll(async () => {
  for (const queue of queues) await queue.close();
  await started.redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

export function testExports() {
  const redisUrl = started.redis?.url ?? "redis://127.0.0.1:1";
  const queue = createExportQueue({ redisUrl, attempts: 1, backoffMs: 0 });
  queues.push(queue);
  return { queue, files: exportFiles(dir), pageSize: 100 };
}
