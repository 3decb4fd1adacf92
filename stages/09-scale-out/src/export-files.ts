import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Where finished exports live: one folder, EXPORT_DIR, that every worker writes to and every API
 * process reads from. On one machine that is a local folder; across machines it must be a shared
 * mount (NFS, EFS…), because an export is too large to be a job's return value in Redis.
 *
 * A file appears under its final name only when it is whole: a worker writes `<job>.<random>.partial`
 * and renames it at the end (rename is atomic), so a reader never sees half an export, and a worker
 * killed mid-way leaves only a partial file that the next attempt removes.
 *
 * Each user's exports have a folder of their own, `<EXPORT_DIR>/<owner>/`: one user's files are
 * never next to another's, and removing an account's exports is removing one folder.
 */
export function exportFiles(dir: string) {
  return {
    dir,

    /** Writes `chunks` to the job's file in the owner's folder and returns its path once it is whole. */
    async write(
      owner: string,
      jobId: string,
      chunks: AsyncIterable<string>,
    ): Promise<{ file: string; bytes: number }> {
      const folder = join(dir, owner);
      const file = join(owner, `${jobId}.csv`);
      await mkdir(folder, { recursive: true });
      await removePartials(folder, jobId);
      const partial = join(folder, `${jobId}.${randomUUID()}.partial`);
      try {
        await pipeline(Readable.from(chunks), createWriteStream(partial, { flags: "wx" }));
        await rename(partial, join(dir, file));
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { file, bytes: (await stat(join(dir, file))).size };
    },

    /** The finished file as a stream with its size, or undefined when it is not (or no longer) here. */
    async open(file: string): Promise<{ stream: Readable; bytes: number } | undefined> {
      const path = resolve(dir, file);
      // a path that leads out of EXPORT_DIR is no export of ours, whatever a job's result says
      if (relative(resolve(dir), path).split(sep)[0] === "..") return undefined;
      try {
        const { size } = await stat(path);
        return { stream: createReadStream(path), bytes: size };
      } catch {
        return undefined;
      }
    },

    /** Deletes exports (and abandoned partial files) older than `maxAgeMs`, in every owner's folder; returns how many. */
    async sweep(maxAgeMs: number, now = Date.now()): Promise<number> {
      let removed = 0;
      for (const owner of await readdir(dir).catch(() => [])) {
        for (const name of await readdir(join(dir, owner)).catch(() => [])) {
          if (!name.endsWith(".csv") && !name.endsWith(".partial")) continue;
          const path = join(dir, owner, name);
          const info = await stat(path).catch(() => undefined);
          if (info && now - info.mtimeMs > maxAgeMs) {
            await rm(path, { force: true });
            removed++;
          }
        }
      }
      return removed;
    },
  };
}

export type ExportFiles = ReturnType<typeof exportFiles>;

/** What a previous attempt of the same job left behind when its worker died. */
async function removePartials(dir: string, jobId: string) {
  for (const name of await readdir(dir)) {
    if (name.startsWith(`${jobId}.`) && name.endsWith(".partial")) await rm(join(dir, name), { force: true });
  }
}
