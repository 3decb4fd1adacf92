import type { Cluster } from "@zero-to-one/test-kit";
import { existsSync } from "node:fs";
import { chromium, type Browser, type Dialog, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_CSP } from "../src/web-page.js";
import { noRedis, startCluster } from "./cluster.js";

// the system's browser: playwright-core never downloads one
const CHROMIUM = "/usr/bin/chromium";
// signing up on the page needs the sessions' Redis too
const missing =
  (existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`) ??
  (noRedis ? `no one can sign in on the page: ${noRedis}` : undefined);
if (missing) console.log(`skipped: the page in a real browser: ${missing}`);

const IMG = `<img src=x onerror="window.__xss=1">`;
const SCRIPT = `<script>window.__xss=2</script>`;

/** A global of the page, read in the page (the test runs in Node, which has no window). */
const pageGlobal = (page: Page, name: string) => page.evaluate(`window.${name}`);

describe.skipIf(missing)("the page in a real browser (chromium): todos are text, never markup", () => {
  let cluster: Cluster;
  let browser: Browser;
  let page: Page;
  const dialogs: Dialog[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ WORKERS: "1" });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage();
    // an alert() from injected code would open a dialog: record it (and close it, or the page hangs)
    page.on("dialog", (dialog) => {
      dialogs.push(dialog);
      void dialog.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (cluster && cluster.child.exitCode === null) expect(await cluster.stop()).toBe(0);
  });

  it("serves the page and its files with the strict Content-Security-Policy", async () => {
    const res = await page.goto(`${cluster.url}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-type"]).toBe("text/html; charset=utf-8");
    expect(res?.headers()["content-security-policy"]).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(PAGE_CSP).toBe(res?.headers()["content-security-policy"]);
    for (const file of ["/app.js", "/app.css"]) {
      const asset = await page.request.get(`${cluster.url}${file}`);
      expect(asset.status()).toBe(200);
      expect(asset.headers()["content-security-policy"]).toBe(PAGE_CSP);
      expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
    }
  });

  it("signs up, adds two todos that are HTML, and after a reload shows them as the text they are", async () => {
    await page.goto(`${cluster.url}/`);
    await page.getByLabel("Username").fill("xss-tester");
    await page.getByLabel("Password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.locator("#who").textContent()).toBe("xss-tester");

    for (const content of [IMG, SCRIPT]) {
      await page.getByLabel("New todo").fill(content);
      await page.getByRole("button", { name: "Add" }).click();
      await expect.poll(() => page.locator("#list .content").allTextContents()).toContain(content);
    }

    await page.reload();
    // both added within a second may come in either order (ties on created_at break on the random id)
    await expect
      .poll(async () => (await page.locator("#list .content").allTextContents()).sort())
      .toEqual([IMG, SCRIPT].sort());
    // nothing of what they say became an element, ran, or opened a dialog
    expect(await page.locator("#list img, #list script").count()).toBe(0);
    expect(await pageGlobal(page, "__xss")).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it("finishes a todo from the page", async () => {
    const item = page.locator("#list li", { hasText: IMG });
    await item.getByRole("button", { name: "Finish" }).click();
    await expect.poll(() => item.getAttribute("class")).toBe("finished");
    await page.reload();
    await expect.poll(() => page.locator("#list li.finished .content").allTextContents()).toEqual([IMG]);
  });

  it("the JSON of such a todo, opened as a page, is not rendered as HTML either (nosniff, default-src 'none')", async () => {
    const list = (await (await page.request.get(`${cluster.url}/todo`)).json()) as {
      data: { id: string; content: string }[];
    };
    const img = list.data.find((todo) => todo.content === IMG)!;
    const res = await page.goto(`${cluster.url}/todo/${img.id}`);
    expect(res?.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await page.locator("img").count()).toBe(0);
    expect(await pageGlobal(page, "__xss")).toBeUndefined();
  });

  it("blocks a script injected into the page despite everything: the CSP runs no inline code", async () => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${cluster.url}/`);
    await page.evaluate(`
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (event) =>
        window.__violations.push(event.effectiveDirective));
      // what a missed escape would amount to: markup with inline code in the live page
      const script = document.createElement("script");
      script.textContent = "window.__inline = 1";
      document.body.append(script);
      const holder = document.createElement("div");
      holder.innerHTML = '<img src="data:," onerror="window.__inline = 2">';
      document.body.append(holder);
    `);
    await expect
      .poll(() => pageGlobal(page, "__violations"))
      .toEqual(expect.arrayContaining(["script-src-elem", "script-src-attr"]));
    expect(await pageGlobal(page, "__inline")).toBeUndefined();
    expect(errors.join("\n")).toMatch(/Content Security Policy/);
    expect(dialogs).toEqual([]);
  });
});
