import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNewestFirst, expectTodo, type Todo } from "./todo-shape.js";

/** A position in the newest-first order (stage 04+). */
export interface StoreCursor {
  created_at: number;
  id: string;
}

/** The TodoStore of stages 03+, described by shape only, so this package depends on no stage. */
export interface TodoStoreLike {
  readonly kind: string;
  list(page: { start: number; limit: number }): Promise<Todo[]>;
  listBefore?(cursor: StoreCursor | null, limit: number): Promise<Todo[]>;
  get(id: string): Promise<Todo | undefined>;
  add(content: string): Promise<Todo>;
  finish(id: string): Promise<Todo | undefined>;
  remove(id: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreContractOptions {
  /** 3 — offset pages; 4 — also keyset pages (`listBefore`). */
  level: 3 | 4;
  /** Opens the store on the same storage every time it is called; the storage starts empty. */
  open: () => Promise<TodoStoreLike>;
  /** Runs after the suite, e.g. to drop a test database. */
  cleanUp?: () => Promise<void>;
  /** When set the suite is skipped, counted as skipped, and prints one line `skipped: <reason>`. */
  skipped?: string | undefined;
}

const cursorOf = (todo: Todo): StoreCursor => ({ created_at: todo.created_at, id: todo.id });

/** What every TodoStore adapter promises, whatever database is behind it. */
export function describeTodoStore(label: string, { level, open, cleanUp, skipped }: StoreContractOptions) {
  if (skipped) console.log(`skipped: ${skipped}`);

  describe.skipIf(Boolean(skipped))(`${label}: the store contract (level ${level})`, () => {
    let store: TodoStoreLike;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await cleanUp?.();
    });

    /** Every todo, read page by page. */
    const listAll = async () => {
      const all: Todo[] = [];
      for (let start = 0; ; start += 100) {
        const page = await store.list({ start, limit: 100 });
        all.push(...page);
        if (page.length < 100) return all;
      }
    };

    it("answers ping while the database is up", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("adds a todo and reads it back exactly, unicode included", async () => {
      const content = "好好学习 ✓ 🚀 e\u0301";
      const before = Date.now() / 1000;
      const todo = await store.add(content);
      expectTodo(todo);
      expect(todo).toMatchObject({ content, is_finished: false, finished_at: null });
      expect(todo.created_at).toBeGreaterThanOrEqual(Math.floor(before) - 1);
      expect(todo.created_at).toBeLessThanOrEqual(Date.now() / 1000 + 1);
      expect(await store.get(todo.id)).toEqual(todo);
    });

    it("keeps every todo across a close and a reopen: the point of a database", async () => {
      const todo = await store.add("survives a restart");
      const finished = await store.finish(todo.id);
      await store.close();
      store = await open();
      expect(await store.get(todo.id)).toEqual(finished);
    });

    it.each([
      ["an unknown id", "5f9b3c1e2a4d8e0012345678"],
      ["a malformed id", "not-an-id"],
      ["an empty id", ""],
      ["an operator-looking id", "$ne"],
      ["an id with a NUL", "abc\u0000def"],
      ["a very long id", "f".repeat(600)],
    ])("answers undefined/false for %s, never throws", async (_name, id) => {
      expect(await store.get(id)).toBeUndefined();
      expect(await store.finish(id)).toBeUndefined();
      expect(await store.remove(id)).toBe(false);
    });

    it("finishes once: a second finish keeps the first finished_at", async () => {
      const todo = await store.add("finish me");
      const done = await store.finish(todo.id);
      expect(done).toMatchObject({ id: todo.id, created_at: todo.created_at, is_finished: true });
      expect(done!.finished_at).toBeGreaterThanOrEqual(todo.created_at);
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.finish(todo.id)).toEqual(done);
      expect(await store.get(todo.id)).toEqual(done);
    });

    it("removes a todo once; it is gone from reads and lists", async () => {
      const todo = await store.add("remove me");
      expect(await store.remove(todo.id)).toBe(true);
      expect(await store.remove(todo.id)).toBe(false);
      expect(await store.get(todo.id)).toBeUndefined();
      expect((await listAll()).map((t) => t.id)).not.toContain(todo.id);
    });

    it("pages by offset: newest first, each todo exactly once, at most `limit`", async () => {
      for (let i = 0; i < 23; i++) await store.add(`page ${i}`);
      const all = await listAll();
      expect(all.length).toBeGreaterThanOrEqual(23);
      expectNewestFirst(all);
      expect(new Set(all.map((t) => t.id)).size).toBe(all.length);

      const walked: Todo[] = [];
      for (let start = 0; start < all.length; start += 4) {
        const page = await store.list({ start, limit: 4 });
        expect(page.length).toBeLessThanOrEqual(4);
        walked.push(...page);
      }
      expect(walked.map((t) => t.id)).toEqual(all.map((t) => t.id));
      expect(await store.list({ start: all.length, limit: 10 })).toEqual([]);
    });

    it("stores 100 concurrent adds with distinct ids, every one listed", async () => {
      const added = await Promise.all(Array.from({ length: 100 }, (_, i) => store.add(`concurrent ${i}`)));
      const ids = new Set(added.map((t) => t.id));
      expect(ids.size).toBe(100);
      const listed = new Set((await listAll()).map((t) => t.id));
      for (const id of ids) expect(listed.has(id), `${id} was added but is not listed`).toBe(true);
    });

    if (level >= 4) {
      const listBefore = (cursor: StoreCursor | null, limit: number) => {
        if (!store.listBefore) throw new Error("a level-4 store must have listBefore");
        return store.listBefore(cursor, limit);
      };

      it("pages by cursor: the same order as by offset, each todo exactly once", async () => {
        const all = await listAll();
        expect(await listBefore(null, 7)).toEqual(all.slice(0, 7));
        const walked: Todo[] = [];
        for (let page = await listBefore(null, 7); page.length > 0;) {
          walked.push(...page);
          page = await listBefore(cursorOf(page.at(-1)!), 7);
        }
        expect(walked.map((t) => t.id)).toEqual(all.map((t) => t.id));
      });

      it("continues after a cursor whose todo was removed meanwhile", async () => {
        const all = await listAll();
        const [, gone, ...rest] = all;
        expect(await store.remove(gone!.id)).toBe(true);
        expect(await listBefore(cursorOf(gone!), 3)).toEqual(rest.slice(0, 3));
      });

      it("answers an empty page after the oldest todo", async () => {
        const all = await listAll();
        expect(await listBefore(cursorOf(all.at(-1)!), 10)).toEqual([]);
      });
    }
  });
}
