import { expectError, inProcess } from "@zero-to-one/contract";
import { afterAll, describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../src/cursor.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import type { Todo } from "../src/store.js";
import { redisUrl } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

type Page = { data: Todo[]; next: string | null };

describe("keyset paging over HTTP", async () => {
  const store = createSqliteStore(":memory:");
  await store.insertSeeded(seededTodos(25, 1_700_000_000), () => {});
  afterAll(closeCachedApps);
  const api = inProcess(await cachedApp(store, redisUrl));
  const page = async (query: string) => (await (await api.request(`/todo?${query}`)).json()) as Page;

  it("refuses `start` and `before` together with 400", async () => {
    const { next } = await page("limit=5");
    await expectError(await api.request(`/todo?start=5&before=${next}`), 400, /either "start".*or "before"/);
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
