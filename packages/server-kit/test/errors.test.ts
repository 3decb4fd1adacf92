import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ApiError, notFound, onError } from "../src/errors.js";

function createTestApp() {
  const app = new Hono();
  app.get("/things", (c) => c.json([]));
  app.post("/things", (c) => c.json({}, 201));
  app.put("/things/:id/done", (c) => c.json({ id: c.req.param("id") }));
  app.get("/teapot", () => {
    throw new ApiError(418, "I am a teapot");
  });
  app.get("/broken", () => {
    throw new Error("secret internals");
  });
  app.notFound(notFound(app));
  app.onError(onError);
  return app;
}

describe("the JSON error handlers", () => {
  const app = createTestApp();

  it("answers an unknown path with a JSON 404", async () => {
    const res = await app.request("/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { status: 404, message: "no route for /nope" } });
  });

  it("answers a known path with a wrong method with 405 and every allowed method", async () => {
    const res = await app.request("/things", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD");
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "DELETE is not allowed on /things; allowed: GET, POST, HEAD",
    );
  });

  it("matches path parameters when looking for allowed methods", async () => {
    const res = await app.request("/things/42/done");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("PUT");
  });

  it("turns an ApiError into its status and message", async () => {
    const res = await app.request("/teapot");
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ error: { status: 418, message: "I am a teapot" } });
  });

  it("answers an unexpected error with a 500 that leaks nothing", async () => {
    const spy = console.error;
    console.error = () => {};
    const res = await app.request("/broken");
    console.error = spy;
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(JSON.parse(text).error.status).toBe(500);
  });
});
