import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtFile, serveSite, type StaticSite } from "../src/static-site.js";

const dir = mkdtempSync(join(tmpdir(), "zto-site-"));
mkdirSync(join(dir, "zh"));
mkdirSync(join(dir, "recordings"));
for (const file of [
  "index.html",
  "05-cluster.html",
  "404.html",
  "zh/index.html",
  "recordings/05-pairs.txt",
]) {
  writeFileSync(join(dir, file), file);
}

describe("serving the built site with clean URLs", () => {
  let site: StaticSite;
  beforeAll(async () => {
    site = await serveSite(dir);
  });
  afterAll(() => site?.close());

  it("finds a page by its clean URL, a locale's home by its folder, a file by its name", () => {
    expect(builtFile(dir, "/")).toBe(join(dir, "index.html"));
    expect(builtFile(dir, "/05-cluster")).toBe(join(dir, "05-cluster.html"));
    expect(builtFile(dir, "/zh/")).toBe(join(dir, "zh/index.html"));
    expect(builtFile(dir, "/zh")).toBe(join(dir, "zh/index.html"));
    expect(builtFile(dir, "/recordings/05-pairs.txt")).toBe(join(dir, "recordings/05-pairs.txt"));
    expect(builtFile(dir, "/06-cache")).toBeUndefined();
    expect(builtFile(dir, "/%2e%2e/etc/passwd")).toBeUndefined();
  });

  it("answers a page with 200 and its HTML, an unknown path with 404 and the site's 404 page", async () => {
    const page = await fetch(`${site.url}/05-cluster`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toBe("05-cluster.html");
    const missing = await fetch(`${site.url}/06-cache`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("404.html");
  });
});
