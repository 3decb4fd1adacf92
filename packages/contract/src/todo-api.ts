import { beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "./client.js";
import { withHeaders, type SignIn } from "./sign-in.js";
import { expectError, expectNewestFirst, expectTodo, type Todo } from "./todo-shape.js";

/**
 * What a stage's GET /todo offers:
 * 2 — the whole list; 3 — offset pages (`start`, `limit`); 4 — also keyset pages (`before`, `next`).
 */
export type ApiLevel = 2 | 3 | 4;

export interface ContractOptions {
  level: ApiLevel;
  /** Returns a client for a server whose store starts empty (called once, before the suite). */
  connect: () => Promise<ApiClient> | ApiClient;
  /**
   * What GET /healthz must say: "ok" (the default), or "degraded" for a stage running without an
   * optional service it can do without (06 and 07 without Redis serve from the store).
   */
  health?: "ok" | "degraded";
  /** Stage 08+: the suite signs in first and makes every request as that user (see signUpAndIn). */
  signIn?: SignIn;
}

type Page = { data: Todo[]; next?: string | null };

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** The HTTP API of DESIGN.md, as one suite that every stage runs in-process and over a socket. */
export function describeTodoApi(label: string, { level, connect, health = "ok", signIn }: ContractOptions) {
  describe(`${label}: the todo API contract (level ${level})`, () => {
    let api: ApiClient;
    beforeAll(async () => {
      api = await connect();
      if (signIn) api = withHeaders(api, await signIn(api));
    });

    const create = async (content: string) => {
      const res = await api.request("/todo", form({ content }));
      expect(res.status, await res.clone().text()).toBe(201);
      const todo: unknown = await res.json();
      expectTodo(todo);
      return todo;
    };
    const getJson = async <T>(path: string, status = 200) => {
      const res = await api.request(path);
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(status);
      return (await res.json()) as T;
    };

    /** Every todo in the store, walked the way this level lists them. */
    const listAll = async (): Promise<Todo[]> => {
      if (level === 2) return (await getJson<Page>("/todo")).data;
      const all: Todo[] = [];
      for (let start = 0; ; start += 100) {
        const page = await getJson<Page>(`/todo?start=${start}&limit=100`);
        all.push(...page.data);
        if (page.data.length < 100) return all;
      }
    };

    describe("the baseline", () => {
      it("GET /index answers the article's hello world", async () => {
        const res = await api.request("/index");
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ msg: "hello world" });
      });

      it(`GET /healthz reports ${health} with its checks`, async () => {
        const body = await getJson<{ status: string; checks: object }>("/healthz");
        expect(body.status).toBe(health);
        expect(typeof body.checks).toBe("object");
      });
    });

    describe("creating", () => {
      it("POST a form answers 201 with the todo and its Location", async () => {
        const before = Date.now() / 1000;
        const res = await api.request("/todo", form({ content: "好好学习" }));
        expect(res.status).toBe(201);
        const todo: unknown = await res.json();
        expectTodo(todo);
        expect(todo.content).toBe("好好学习");
        expect(todo.is_finished).toBe(false);
        expect(todo.finished_at).toBeNull();
        expect(todo.created_at).toBeGreaterThanOrEqual(Math.floor(before) - 1);
        expect(todo.created_at).toBeLessThanOrEqual(Date.now() / 1000 + 1);
        expect(res.headers.get("location")).toBe(`/todo/${todo.id}`);
        expect(await getJson<Todo>(`/todo/${todo.id}`)).toEqual(todo);
      });

      it("POST JSON works the same", async () => {
        const res = await api.request("/todo", json({ content: "天天向上" }));
        expect(res.status).toBe(201);
        expect(((await res.json()) as Todo).content).toBe("天天向上");
      });

      it("POST multipart/form-data works the same", async () => {
        const body = new FormData();
        body.set("content", "multipart");
        const res = await api.request("/todo", { method: "POST", body });
        expect(res.status).toBe(201);
        expect(((await res.json()) as Todo).content).toBe("multipart");
      });

      it("keeps unicode exactly, emoji and combining marks included", async () => {
        const content = "好好学习 ✓ 🚀 e\u0301 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
        const todo = await create(content);
        expect(todo.content).toBe(content);
        expect((await getJson<Todo>(`/todo/${todo.id}`)).content).toBe(content);
      });

      it("keeps <script> content verbatim, as JSON", async () => {
        const content = '<script>alert("x")</script>';
        const todo = await create(content);
        const res = await api.request(`/todo/${todo.id}`);
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(((await res.json()) as Todo).content).toBe(content);
      });

      it("tells browsers not to sniff any answer as HTML, errors included", async ({ skip }) => {
        if (!api.overSocket) skip("in-process: the Node server, not the app, adds this header");
        const todo = await create('<script>alert("x")</script>');
        for (const path of ["/index", "/todo", `/todo/${todo.id}`, "/todo/no-such-id", "/no-such-path"]) {
          const res = await api.request(path);
          expect(res.headers.get("x-content-type-options"), `${path} (${res.status})`).toBe("nosniff");
        }
      });

      it("accepts exactly 1,000 characters, counted as characters rather than UTF-16 units", async () => {
        expect((await create("a".repeat(1000))).content).toHaveLength(1000);
        expect([...(await create("🚀".repeat(1000))).content]).toHaveLength(1000);
      });
    });

    describe("refusing bad input with 400", () => {
      const cases: [string, RequestInit, RegExp][] = [
        ["a form without content", form({ other: "x" }), /missing/],
        ["blank content", form({ content: "   " }), /blank/],
        ["empty content", form({ content: "" }), /blank|missing/],
        ["content over 1,000 characters", form({ content: "a".repeat(1001) }), /1001|1,001|1000|1,000/],
        ["a number as content", json({ content: 42 }), /string/],
        ["null as content", json({ content: null }), /string|missing/],
        ["an array as content", json({ content: ["a", "b"] }), /string/],
        ["an operator object as content", json({ content: { $ne: null } }), /string/],
        ["an operator in a form field name", form({ "content[$ne]": "1" }), /content/],
        [
          "malformed JSON",
          { method: "POST", headers: { "content-type": "application/json" }, body: '{"content":' },
          /JSON/,
        ],
        ["a JSON array body", json([{ content: "x" }]), /object/],
        ["a JSON string body", json("content"), /object/],
        [
          "content sent twice in one form",
          {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "content=a&content=b",
          },
          /single string/,
        ],
      ];
      it.each(cases)("rejects %s", async (_name, init, message) => {
        const before = (await listAll()).length;
        await expectError(await api.request("/todo", init), 400, message);
        expect((await listAll()).length).toBe(before);
      });
    });

    describe("refusing bodies it will not read", () => {
      it("answers 413 for a body over 16 KiB", async () => {
        await expectError(
          await api.request("/todo", form({ content: "a".repeat(17 * 1024) })),
          413,
          /16 KiB/,
        );
      });

      it("answers 415 for another media type", async () => {
        const res = await api.request("/todo", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "x",
        });
        await expectError(res, 415, /form|JSON/);
      });

      it("answers 415 for a body without Content-Type", async () => {
        const res = await api.request("/todo", { method: "POST", body: new Uint8Array([120]) });
        await expectError(res, 415);
      });
    });

    describe("reading one todo", () => {
      it.each([
        ["an unknown id", "/todo/5f9b3c1e2a4d8e0012345678"],
        ["a malformed id", "/todo/not-an-id"],
        ["an encoded path trick", "/todo/..%2F..%2Fetc%2Fpasswd"],
        ["an encoded NUL", "/todo/abc%00def"],
        ["an operator-looking id", "/todo/%24ne"],
        ["a very long id", `/todo/${"f".repeat(600)}`],
      ])("answers 404 for %s on GET, finish and DELETE, never 500", async (_name, path) => {
        await expectError(await api.request(path), 404);
        await expectError(await api.request(`${path}/finish`, { method: "PUT" }), 404);
        await expectError(await api.request(path, { method: "DELETE" }), 404);
      });
    });

    describe("finishing", () => {
      it("PUT /todo/:id/finish marks it done, once: a second finish keeps the first time", async () => {
        const todo = await create("finish me");
        const first = await api.request(`/todo/${todo.id}/finish`, { method: "PUT" });
        expect(first.status).toBe(200);
        const done = (await first.json()) as Todo;
        expectTodo(done);
        expect(done).toMatchObject({
          id: todo.id,
          content: "finish me",
          created_at: todo.created_at,
          is_finished: true,
        });
        expect(done.finished_at).toBeGreaterThanOrEqual(todo.created_at);

        await new Promise((r) => setTimeout(r, 20));
        const again = (await (
          await api.request(`/todo/${todo.id}/finish`, { method: "PUT" })
        ).json()) as Todo;
        expect(again.finished_at).toBe(done.finished_at);
        expect(await getJson<Todo>(`/todo/${todo.id}`)).toEqual(done);
      });
    });

    describe("deleting", () => {
      it("DELETE answers 204 with no body; the todo is gone from reads and lists", async () => {
        const todo = await create("delete me");
        const res = await api.request(`/todo/${todo.id}`, { method: "DELETE" });
        expect(res.status).toBe(204);
        expect(await res.text()).toBe("");
        await expectError(await api.request(`/todo/${todo.id}`), 404);
        await expectError(await api.request(`/todo/${todo.id}`, { method: "DELETE" }), 404);
        await expectError(await api.request(`/todo/${todo.id}/finish`, { method: "PUT" }), 404);
        expect((await listAll()).map((t) => t.id)).not.toContain(todo.id);
      });
    });

    describe("routing", () => {
      it("answers an unknown path with a JSON 404", async () => {
        await expectError(await api.request("/nothing/here"), 404);
      });

      it.each([
        ["PATCH", "/todo", ["GET", "POST"]],
        ["DELETE", "/index", ["GET"]],
        ["POST", "/todo/abc", ["GET", "DELETE"]],
        ["GET", "/todo/abc/finish", ["PUT"]],
      ])("answers %s %s with 405 and Allow", async (method, path, allowed) => {
        const res = await api.request(path, { method });
        const allow = res.headers.get("allow")?.split(/,\s*/) ?? [];
        await expectError(res, 405);
        expect(allow).toEqual(expect.arrayContaining(allowed));
      });
    });

    describe("listing", () => {
      it("GET /todo lists todos as objects (not JSON strings), newest first", async () => {
        const a = await create("list a");
        const b = await create("list b");
        const all = await listAll();
        for (const todo of all) expectTodo(todo);
        expectNewestFirst(all);
        const ids = all.map((t) => t.id);
        expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
        expect(new Set(ids).size).toBe(ids.length);
      });

      if (level >= 3) describeOffsetPaging();
      if (level >= 4) describeKeysetPaging();
    });

    function describeOffsetPaging() {
      describe("by offset (start, limit)", () => {
        beforeAll(async () => {
          for (let i = 0; i < 25; i++) await create(`page filler ${i}`);
        });

        it("answers 10 todos by default and at most `limit`", async () => {
          expect((await getJson<Page>("/todo")).data).toHaveLength(10);
          expect((await getJson<Page>("/todo?limit=3")).data).toHaveLength(3);
          expect((await getJson<Page>("/todo?limit=100")).data.length).toBeGreaterThan(25);
        });

        it("walks every todo exactly once, pages in order", async () => {
          const all = await listAll();
          const walked: Todo[] = [];
          for (let start = 0; start < all.length + 7; start += 7) {
            walked.push(...(await getJson<Page>(`/todo?start=${start}&limit=7`)).data);
          }
          expect(walked.map((t) => t.id)).toEqual(all.map((t) => t.id));
          expectNewestFirst(walked);
        });

        it("answers an empty page past the end", async () => {
          expect((await getJson<Page>("/todo?start=100000")).data).toEqual([]);
        });

        it.each([
          "start=-1",
          "start=abc",
          "start=1.5",
          "start=",
          "limit=0",
          "limit=101",
          "limit=ten",
          "limit=-5",
          "start=1e3",
        ])("answers 400 for %s", async (query) => {
          await expectError(await api.request(`/todo?${query}`), 400, /start|limit/);
        });
      });
    }

    function describeKeysetPaging() {
      describe("by cursor (before, next)", () => {
        it("walks every todo exactly once by following `next`, and agrees with offset paging", async () => {
          const all = await listAll();
          const walked: Todo[] = [];
          let page = await getJson<Page>("/todo?limit=6");
          for (;;) {
            walked.push(...page.data);
            if (!page.next) break;
            expect(typeof page.next).toBe("string");
            page = await getJson<Page>(`/todo?limit=6&before=${encodeURIComponent(page.next)}`);
          }
          expect(walked.map((t) => t.id)).toEqual(all.map((t) => t.id));
        });

        it("keeps a walk stable while new todos are created at the top", async () => {
          const first = await getJson<Page>("/todo?limit=5");
          await create("created during the walk");
          const second = await getJson<Page>(`/todo?limit=5&before=${encodeURIComponent(first.next!)}`);
          const offset = await getJson<Page>("/todo?start=6&limit=5");
          expect(second.data.map((t) => t.id)).toEqual(offset.data.map((t) => t.id));
        });

        it("says `next: null` on the last page", async () => {
          const all = await listAll();
          const last = await getJson<Page>(`/todo?limit=100&start=${Math.max(0, all.length - 3)}`);
          expect(last.next).toBeNull();
        });

        it.each([
          "before=",
          "before=%%%",
          "before=bm90LWEtY3Vyc29y",
          "before=eyJ4IjoxfQ",
          "before=" + "A".repeat(300),
        ])("answers 400 for a malformed cursor: %s", async (query) => {
          await expectError(await api.request(`/todo?${query}`), 400, /before|cursor/);
        });
      });
    }

    describe("under concurrency", () => {
      it("200 concurrent creates all succeed with distinct ids, and every one is stored", async () => {
        const created = await Promise.all(
          Array.from({ length: 200 }, async (_, i) => {
            const res = await api.request("/todo", form({ content: `concurrent ${i}` }));
            expect(res.status).toBe(201);
            return (await res.json()) as Todo;
          }),
        );
        const ids = new Set(created.map((t) => t.id));
        expect(ids.size).toBe(200);
        const stored = new Set((await listAll()).map((t) => t.id));
        for (const id of ids)
          expect(stored.has(id), `todo ${id} was acknowledged but is not listed`).toBe(true);
        // a test of what is stored, not of speed: 200 requests on a busy machine may take over 5 s
      }, 30_000);
    });
  });
}
