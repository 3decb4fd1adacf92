import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundledLanguages } from "shiki";
import { createMarkdownRenderer, disposeMdItInstance } from "vitepress";
import { describe, expect, it } from "vitest";
import { fenceLanguages, unknownFenceLanguages } from "../src/fence-languages.js";
import { docs } from "./built-site.js";

const known = Object.keys(bundledLanguages);

describe("code blocks' languages", () => {
  it("are all known to the highlighter in docs/", () => {
    expect(unknownFenceLanguages(docs, known)).toEqual([]);
    expect([...fenceLanguages(docs).keys()]).toEqual(expect.arrayContaining(["ts", "sh", "json"]));
  });

  it("are named with where they are used when unknown, unless the config maps them", () => {
    const dir = mkdtempSync(join(tmpdir(), "zto-fences-"));
    mkdirSync(join(dir, "zh"));
    writeFileSync(
      join(dir, "a.md"),
      "```conf\nlisten 80;\n```\n\n````md\n```nope\n````\n\n```lua\nreturn 1\n```\n",
    );
    writeFileSync(join(dir, "zh", "a.md"), "~~~text\nplain\n~~~\n");
    expect(unknownFenceLanguages(dir, known)).toEqual(["conf (a.md:1)"]);
    expect(unknownFenceLanguages(dir, known, { conf: "nginx" })).toEqual([]);
  });

  it("are coloured by the site's highlighter for the tutorial's languages", async () => {
    disposeMdItInstance();
    const md = await createMarkdownRenderer(docs);
    for (const lang of ["ts", "sh", "bash", "nginx", "lua", "json"]) {
      const html = md.render(`\`\`\`${lang}\nlisten 80; local x = { "a": 1 } -- end\n\`\`\`\n`);
      expect(html, lang).toContain(`language-${lang}`);
      expect(new Set(html.match(/--shiki-light:#\w+/g)).size, lang).toBeGreaterThan(1);
    }
  });
});
