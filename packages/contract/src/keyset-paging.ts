import { afterAll, describe, expect, it } from "vitest";
import { inProcess } from "./client.js";
import { expectError, type Todo } from "./todo-shape.js";
import type { SqliteStoreLike } from "./sqlite-file.js";

type Page = { data: Todo[]; next: string | null };
type Cursor = { created_at: number; id: string };

export interface KeysetPagingOptions<Store extends SqliteStoreLike> {
  /** The stage's createSqliteStore, opened on ":memory:". */
  open: (path: string) => Store;
  /** The stage's seededTodos: `count` todos one second apart, the newest created at `newest`. */
  seededTodos: (count: number, newest: number) => Iterable<unknown>;
  /** The stage's app over a store, as its in-process tests build it. */
  app: (store: Store) => Promise<Parameters<typeof inProcess>[0]> | Parameters<typeof inProcess>[0];
  /** The stage's cursor.ts. */
  cursors: {
    encodeCursor: (cursor: Cursor) => string;
    decodeCursor: (text: string) => Cursor | undefined;
  };
  /** Runs after the suite, e.g. closing the apps' cache connections. */
  closeApps?: () => Promise<void>;
}

/** GET /todo?before= and the `next` cursor (04+), through the stage's app over 25 seeded todos. */
export function describeKeysetPaging<Store extends SqliteStoreLike>(options: KeysetPagingOptions<Store>) {
  const { open, seededTodos, app, cursors, closeApps } = options;
  const { encodeCursor, decodeCursor } = cursors;

  describe("keyset paging over HTTP", async () => {
    const store = open(":memory:");
    await store.insertSeeded(seededTodos(25, 1_700_000_000), () => {});
    afterAll(async () => {
      await closeApps?.();
      await store.close();
    });
    const api = inProcess(await app(store));
    const page = async (query: string) => (await (await api.request(`/todo?${query}`)).json()) as Page;

    it("refuses `start` and `before` together with 400", async () => {
      const { next } = await page("limit=5");
      await expectError(
        await api.request(`/todo?start=5&before=${next}`),
        400,
        /either "start".*or "before"/,
      );
    });

    it("gives `next` only when another page exists", async () => {
      expect((await page("limit=25")).next).toBeNull();
      const first = await page("limit=24");
      expect(first.next).not.toBeNull();
      const last = await page(`limit=24&before=${first.next}`);
      expect(last.data.map((t) => t.content)).toEqual(["seeded todo 1 of 25"]);
      expect(last.next).toBeNull();
    });

    it("keeps going from a cursor whose todo was deleted meanwhile", async () => {
      const first = await page("limit=3");
      const gone = first.data.at(-1)!;
      expect((await api.request(`/todo/${gone.id}`, { method: "DELETE" })).status).toBe(204);
      const second = await page(`limit=3&before=${first.next}`);
      expect(second.data.map((t) => t.content)).toEqual(
        (await page("start=2&limit=3")).data.map((t) => t.content),
      );
    });

    it("uses cursors that are opaque base64url and round-trip exactly", () => {
      const cursor = { created_at: 1_700_000_000.123, id: "5f9b3c1e2a4d8e0012345678" };
      const text = encodeCursor(cursor);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text)).toEqual(cursor);
      expect(decodeCursor(Buffer.from('{"created_at":"1","id":"x"}').toString("base64url"))).toBeUndefined();
      expect(decodeCursor(Buffer.from('{"created_at":1,"id":""}').toString("base64url"))).toBeUndefined();
      expect(decodeCursor(Buffer.from("[1,2]").toString("base64url"))).toBeUndefined();
    });
  });
}
