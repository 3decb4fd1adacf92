import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { chapterOf, hintFor } from "../src/hints.js";
import { step } from "./fixtures.js";

const CHAPTER = `# 04 · The index

## What we do

<!-- docs:skip because="paging.test.ts runs this" -->
\`\`\`sh
npx vitest run test/paging.test.ts
\`\`\`

### Keyset paging: start from where you stopped

\`keyset-paging.test.ts\` is another file.

## What the tests check

- \`paging.test.ts\`: a cursor walk, each todo once.
- \`test/store.test.ts\`: the store contract.
`;

function docs(pages: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "zto-exercise-docs-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(pages)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("a ✗'s hint", () => {
  it("is the section around the chapter's first mention of the test's file, by its VitePress anchor", () => {
    const dir = docs({ "04-index.md": CHAPTER });
    const chapter = join(dir, "04-index.md");
    // the code block and the comment mention it first: a reader sees neither
    expect(hintFor(step.stage, "test/paging.test.ts", dir)).toBe(`${chapter}#what-the-tests-check`);
    expect(hintFor(step.stage, "test/store.test.ts", dir)).toBe(`${chapter}#what-the-tests-check`);
  });

  it("is the section the chapter's Do it yourself links to from the item naming the file, first", () => {
    const dir = docs({
      "04-index.md": `${CHAPTER}
## Do it yourself

- \`store.test.ts\`, \`paging.test.ts\`: the cursor's query, in
  [keyset paging](#keyset-paging-start-from-where-you-stopped)
- \`sqlite.test.ts\`: no link here
`,
    });
    const chapter = join(dir, "04-index.md");
    // a link on the item's wrapped line counts; the VitePress anchor of the heading it names is given
    expect(hintFor(step.stage, "test/paging.test.ts", dir)).toBe(
      `${chapter}#keyset-paging-start-from-where-you-stopped`,
    );
    expect(hintFor(step.stage, "test/store.test.ts", dir)).toBe(
      `${chapter}#keyset-paging-start-from-where-you-stopped`,
    );
    // an item without a link falls back to the first mention's section
    expect(hintFor(step.stage, "test/sqlite.test.ts", dir)).toBe(`${chapter}#do-it-yourself`);
  });

  it("is the chapter itself when it names the file nowhere (a longer name that ends the same is another file)", () => {
    const dir = docs({ "04-index.md": CHAPTER.slice(0, CHAPTER.indexOf("## What the tests check")) });
    expect(hintFor(step.stage, "test/paging.test.ts", dir)).toBe(join(dir, "04-index.md"));
    expect(hintFor(step.stage, "test/contract.test.ts", dir)).toBe(join(dir, "04-index.md"));
  });

  it("takes the stage's chapter by folder name, else by number, else gives none", () => {
    expect(chapterOf(step.stage, docs({ "04-index.md": "" }))).toMatch(/04-index\.md$/);
    expect(chapterOf(step.stage, docs({ "04-the-index.md": "" }))).toMatch(/04-the-index\.md$/);
    expect(hintFor(step.stage, "test/paging.test.ts", docs({ "03-mongo.md": "" }))).toBeUndefined();
  });
});
