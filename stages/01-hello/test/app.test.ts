import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";

describe("stage 01: hello world", () => {
  const app = createApp();

  it("answers GET /index with the article's JSON", async () => {
    const res = await app.request("/index");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe('{"msg":"hello world"}');
  });

  it("answers an unknown path with a JSON 404", async () => {
    const res = await app.request("/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { status: 404, message: "no route for /nope" } });
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const res = await app.request("/index", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(await res.json()).toMatchObject({ error: { status: 405 } });
  });
});
