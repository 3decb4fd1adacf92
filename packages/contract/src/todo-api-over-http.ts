import type { ServerProcess } from "@zero-to-one/test-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { overHttp } from "./client.js";
import { describeTodoApi, type ContractOptions } from "./todo-api.js";

export interface TodoApiOverHttpOptions extends Omit<ContractOptions, "connect"> {
  /** Starts the stage's built server as a real process with its SQLite file at `dbPath`. */
  start: (dbPath: string) => Promise<ServerProcess>;
}

/**
 * The API contract over a socket, on the stage's server as a real process. Its SQLite file is in a
 * folder that does not exist yet (the server creates it), and the server must exit 0 afterwards.
 */
export function describeTodoApiOverHttp(label: string, { start, ...contract }: TodoApiOverHttpOptions) {
  const dir = mkdtempSync(join(tmpdir(), "zto-api-"));
  let server: ServerProcess | undefined;
  describeTodoApi(label, {
    ...contract,
    connect: async () => {
      server = await start(join(dir, "new-folder", "todo.db"));
      return overHttp(server.url);
    },
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
}
