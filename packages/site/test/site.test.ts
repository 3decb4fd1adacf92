import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownFiles, pageLink } from "../src/pages.js";
import { builtFile, serveSite, type StaticSite } from "../src/static-site.js";
import { CHROMIUM_MISSING, findChromium, launchChromium } from "./browser.js";
import { builtSite, docs, root } from "./built-site.js";

const LOCALES = [
  { name: "en", prefix: "/", dir: docs },
  { name: "zh", prefix: "/zh/", dir: join(docs, "zh") },
] as const;
// every page is expected in both languages, under the same file name
const files = [...new Set(LOCALES.flatMap((locale) => markdownFiles(locale.dir)))].sort();
const screenshots = join(root, "packages", "site", "screenshots");
const SCREENSHOT_PAGE = "05-cluster.md";

const executable = findChromium();

describe.skipIf(!executable)("the tutorial site, in Chromium", () => {
  if (!executable) console.log(`skipped: ${CHROMIUM_MISSING}`);
  let dist: string;
  let site: StaticSite;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dist = builtSite();
    site = await serveSite(dist);
    browser = await launchChromium(executable!);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /** The ids on a built page, as its HTML has them: what a `#anchor` to it can land on. */
  const anchorsCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string) => {
    let ids = anchorsCache.get(file);
    if (!ids) {
      const html = readFileSync(file, "utf8");
      ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decodeEntities(m[1]!)));
      anchorsCache.set(file, ids);
    }
    return ids;
  };

  for (const locale of LOCALES) {
    const other = LOCALES.find((l) => l !== locale)!;
    for (const file of files) {
      const path = pageLink(locale.prefix, file);
      it(`${locale.name} ${path} renders its title, its links and anchors resolve, the language switch keeps the page`, async () => {
        expect(existsSync(join(locale.dir, file)), `${join(locale.dir, file)} is missing`).toBe(true);
        const response = await page.goto(site.url + path);
        expect(response?.status(), `${path} is not a built page`).toBe(200);

        const heading = page.locator(".vp-doc h1").first();
        await heading.waitFor();
        const h1 = (await heading.evaluate(headingText)).trim();
        expect(h1).not.toBe("");
        expect(await page.title()).toContain(h1);

        const hrefs = await page
          .locator("a[href]")
          .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
        const broken = hrefs.flatMap((href) => {
          const url = new URL(href);
          if (url.origin !== site.url) return [];
          const target = builtFile(dist, url.pathname);
          if (!target) return [`${url.pathname} (no such page or file)`];
          const anchor = decodeURIComponent(url.hash.slice(1));
          if (anchor && !anchorsOf(target).has(anchor))
            return [`${url.pathname}${url.hash} (no such anchor)`];
          return [];
        });
        expect([...new Set(broken)], `broken links on ${path}`).toEqual([]);

        const switched = await page
          .locator(".VPNavBarTranslations .VPMenuLink a")
          .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
        expect(switched).toEqual([pageLink(other.prefix, file)]);

        if (file === "benchmarks.md") {
          const chart = page.locator('.vp-doc img[src*="chart"]');
          await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete)).toBe(true);
          expect(await chart.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
        }
        if (file === SCREENSHOT_PAGE) {
          mkdirSync(screenshots, { recursive: true });
          const shot = join(screenshots, `${locale.name}-${file.replace(/\.md$/, "")}.png`);
          await page.screenshot({ path: shot });
          console.log(`screenshot: ${shot}`);
        }
      });
    }
  }

  it("the language switch, clicked, opens the same page in Chinese and back in English", async () => {
    await page.goto(`${site.url}/05-cluster`);
    await page.locator(".VPNavBarTranslations").hover();
    await page.locator(".VPNavBarTranslations .VPMenuLink a", { hasText: "简体中文" }).click();
    await page.waitForURL(`${site.url}/zh/05-cluster`);
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await page.locator(".VPNavBarTranslations").hover();
    await page.locator(".VPNavBarTranslations .VPMenuLink a", { hasText: "English" }).click();
    await page.waitForURL(`${site.url}/05-cluster`);
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en-US");
  });

  /**
   * The pages of the local search's results for `query`, typed on `home`, best first. A new tab
   * each time: the search box keeps the last query in the tab's session storage, and its results
   * would be on screen until the new ones come.
   */
  async function search(home: string, query: string): Promise<string[]> {
    const tab = await browser.newPage();
    try {
      await tab.goto(site.url + home);
      await tab.locator(".VPNavBarSearch button").click();
      await tab.locator("#localsearch-input").fill(query);
      await tab.locator(".VPLocalSearchBox a.result, .VPLocalSearchBox .no-results").first().waitFor();
      const hrefs = await tab
        .locator(".VPLocalSearchBox a.result")
        .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
      return hrefs.map((href) => href.replace(/#.*$/, ""));
    } finally {
      await tab.close();
    }
  }

  const searches = [
    { home: "/", query: "XFetch", chapter: "/06-cache" },
    { home: "/zh/", query: "索引", chapter: "/zh/04-index" },
  ];
  for (const { home, query, chapter } of searches) {
    it(`the local search on ${home} finds ${chapter} first by “${query}”`, async () => {
      expect((await search(home, query))[0]).toBe(chapter);
    });
  }

  const inside = middleWord(join(docs, "zh"), "04-index.md");
  it(`the local search on /zh/ finds /zh/04-index by a word inside its sentences (“${inside}”)`, async () => {
    expect(
      inside,
      "docs/zh/04-index.md has no word that only a search cutting sentences into words finds",
    ).toBeDefined();
    expect(await search("/zh/", inside!)).toContain("/zh/04-index");
  });
});

/** A heading's text without its permalink (`#`, or the zero-width space VitePress puts in it). */
function headingText(heading: Element): string {
  const copy = heading.cloneNode(true) as Element;
  copy.querySelectorAll(".header-anchor").forEach((anchor) => anchor.remove());
  return copy.textContent ?? "";
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([\da-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/**
 * A Chinese word of `file` that only a search which cuts sentences into words can find: on no page
 * of `dir` does a run of text between spaces and punctuation start with it (MiniSearch's default
 * indexes whole runs and matches their beginnings), and most of its uses are in `file`.
 */
function middleWord(dir: string, file: string): string | undefined {
  if (!existsSync(join(dir, file))) return undefined;
  const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
  const runs = markdownFiles(dir).map((name) => ({
    name,
    runs: readFileSync(join(dir, name), "utf8")
      .split(/[\n\r\p{Z}\p{P}]+/u)
      .filter((run) => /\p{Script=Han}/u.test(run)),
  }));
  const uses = new Map<string, { here: number; all: number }>();
  for (const page of runs) {
    for (const run of page.runs) {
      for (const { segment, isWordLike } of segmenter.segment(run)) {
        if (!isWordLike || !/^\p{Script=Han}{2,}$/u.test(segment)) continue;
        const count = uses.get(segment) ?? { here: 0, all: 0 };
        count.all += 1;
        if (page.name === file) count.here += 1;
        uses.set(segment, count);
      }
    }
  }
  const starts = (word: string) => runs.some((page) => page.runs.some((run) => run.startsWith(word)));
  return [...uses]
    .filter(([word, { here, all }]) => here >= 3 && here * 2 > all && !starts(word))
    .sort(([, a], [, b]) => b.here - a.here)[0]?.[0];
}
