import { UnrecoverableError } from "bullmq";
import { exportTodos } from "./export.js";
import type { ExportFiles } from "./export-files.js";
import type { ExportJob, ExportProgress, ExportResult } from "./queue.js";
import type { TodoStore } from "./store.js";

/**
 * What a worker does with one export job: stream the owner's todos as CSV page by page into the
 * owner's folder of EXPORT_DIR and report
 * the rows written after every page, so GET /jobs/:id can show how far it has come. If it throws,
 * BullMQ retries it later (with backoff); if its worker dies, another worker takes it over.
 */
export function exportProcessor({
  store,
  files,
  pageSize,
}: {
  store: TodoStore;
  files: ExportFiles;
  pageSize: number;
}) {
  return async (job: ExportJob): Promise<ExportResult> => {
    const { owner } = job.data;
    // a job without an owner could only export someone else's todos: it fails at once, never retried
    if (typeof owner !== "string" || owner === "") throw new UnrecoverableError("the job names no owner");
    const total = await store.count(owner);
    let rows = 0;
    async function* csv() {
      for await (const chunk of exportTodos(store, owner, pageSize)) {
        yield chunk.csv;
        if (chunk.rows === 0) continue;
        rows += chunk.rows;
        await job.updateProgress({ rows, total } satisfies ExportProgress);
      }
    }
    const { file, bytes } = await files.write(owner, job.id!, csv());
    return { file, rows, bytes };
  };
}
