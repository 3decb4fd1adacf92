import { exportTodos } from "./export.js";
import type { ExportFiles } from "./export-files.js";
import type { ExportJob, ExportProgress, ExportResult } from "./queue.js";
import type { TodoStore } from "./store.js";

/**
 * What a worker does with one export job: stream the CSV page by page into EXPORT_DIR and report
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
    const total = await store.count();
    let rows = 0;
    async function* csv() {
      for await (const chunk of exportTodos(store, pageSize)) {
        yield chunk.csv;
        if (chunk.rows === 0) continue;
        rows += chunk.rows;
        await job.updateProgress({ rows, total } satisfies ExportProgress);
      }
    }
    const { file, bytes } = await files.write(job.id!, csv());
    return { file, rows, bytes };
  };
}
