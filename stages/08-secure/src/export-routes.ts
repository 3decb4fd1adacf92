import { ApiError, jsonError } from "@zero-to-one/server-kit";
import { Hono, type Context } from "hono";
import { stream } from "hono/streaming";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { AuthEnv } from "./auth.js";
import { exportTodos } from "./export.js";
import type { ExportFiles } from "./export-files.js";
import { IDEMPOTENCY_KEY, type ExportJob, type ExportProgress, type ExportQueue } from "./queue.js";
import type { TodoStore } from "./store.js";

export interface ExportDeps {
  store: TodoStore;
  queue: ExportQueue;
  files: ExportFiles;
  pageSize: number;
}

const CSV_HEADERS = {
  "Content-Type": "text/csv; charset=utf-8",
  "Content-Disposition": 'attachment; filename="todos.csv"',
};

/**
 * The long task, two ways. By default POST /todo/export only puts a job on the queue and answers
 * 202 at once; a worker process does the work and GET /jobs/:id tracks it. With ?inline=1 the same
 * export runs inside the request, as the article's service did before Celery: the contrast that
 * `npm run bench:exports` measures.
 *
 * An export holds the caller's todos only, and its job and file are the caller's only: another
 * user's job id is answered with the same 404 as an id that never existed.
 */
export function exportRoutes({ store, queue, files, pageSize }: ExportDeps) {
  const routes = new Hono<AuthEnv>();

  routes.post("/todo/export", async (c) => {
    const owner = c.get("user").id;
    if (readInline(c)) {
      for (const [name, value] of Object.entries(CSV_HEADERS)) c.header(name, value);
      return stream(c, async (out) => {
        for await (const chunk of exportTodos(store, owner, pageSize)) {
          if (out.aborted) return;
          await out.write(chunk.csv);
        }
      });
    }
    const key = c.req.header("Idempotency-Key") ?? randomUUID();
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new ApiError(400, "the Idempotency-Key header must be 1 to 64 letters, digits, - or _");
    }
    const job = await queue.submit(owner, key);
    const statusUrl = `/jobs/${job.id}`;
    return c.json({ job_id: job.id, status_url: statusUrl }, 202, { Location: statusUrl });
  });

  routes.get("/jobs/:id", async (c) => {
    const found = await queue.find(c.get("user").id, c.req.param("id"));
    if (!found) return unknownJob(c);
    return c.json(describeJob(found.job, found.state));
  });

  routes.get("/jobs/:id/result", async (c) => {
    const found = await queue.find(c.get("user").id, c.req.param("id"));
    if (!found) return unknownJob(c);
    const { job, state } = found;
    if (state === "failed") {
      return jsonError(c, 409, `the export failed (${job.failedReason}); submit a new one`);
    }
    if (state !== "completed" || !job.returnvalue) {
      return jsonError(c, 409, `the export is ${state}, not completed yet; poll /jobs/${job.id}`);
    }
    const file = await files.open(job.returnvalue.file);
    if (!file) {
      return jsonError(
        c,
        410,
        `the file of export ${job.id} is not in this server's EXPORT_DIR: it has expired, ` +
          "or EXPORT_DIR is not the folder the workers write to",
      );
    }
    return c.body(Readable.toWeb(file.stream) as ReadableStream, 200, {
      ...CSV_HEADERS,
      "Content-Length": String(file.bytes),
    });
  });

  return routes;
}

function readInline(c: Context): boolean {
  const inline = c.req.query("inline");
  if (inline === undefined || inline === "0") return false;
  if (inline === "1") return true;
  throw new ApiError(
    400,
    `inline must be 1 (run the export in this request) or 0, not ${JSON.stringify(inline)}`,
  );
}

/** The job as the status page shows it: where it is, how far it got, and where its result is. */
function describeJob(job: ExportJob, state: string) {
  const progress = job.progress as ExportProgress | number;
  const { rows, total } = typeof progress === "object" ? progress : { rows: 0, total: 0 };
  return {
    id: job.id,
    state,
    progress: {
      rows,
      total,
      percent: state === "completed" ? 100 : total > 0 ? Math.min(99, Math.floor((rows / total) * 100)) : 0,
    },
    attempts: job.attemptsMade,
    max_attempts: job.opts.attempts ?? 1,
    created_at: job.timestamp / 1000,
    finished_at: job.finishedOn ? job.finishedOn / 1000 : null,
    result_url: state === "completed" ? `/jobs/${job.id}/result` : null,
    failed_reason: job.failedReason || null,
  };
}

const unknownJob = (c: Context) =>
  jsonError(c, 404, `no export job with id ${JSON.stringify(c.req.param("id"))}`);
