import { describe, expect, it } from "vitest";
import { documents } from "../src/repository.js";
import { chinesePages, englishPages, originalOf, translationOf } from "../src/translations.js";
import { repository } from "./fixture.js";

describe("translations", () => {
  it("are docs/zh/NAME.md for docs/NAME.md, and README.zh-CN.md for the root's README.md", () => {
    expect(translationOf("docs/05-cluster.md")).toBe("docs/zh/05-cluster.md");
    expect(translationOf("README.md")).toBe("README.zh-CN.md");
    expect(translationOf("stages/05-cluster/README.md")).toBeUndefined();
    expect(translationOf("docs/recordings/05-pairs.txt")).toBeUndefined();
    expect(originalOf("docs/zh/README.md")).toBe("docs/README.md");
    expect(originalOf("README.zh-CN.md")).toBe("README.md");
    expect(originalOf("docs/05-cluster.md")).toBeUndefined();
  });

  it("are checked with the English pages: docs:check reads every one", () => {
    const root = repository({
      "README.md": "# zero-to-one\n",
      "README.zh-CN.md": "# zero-to-one {#zero-to-one}\n",
      "docs/01-hello.md": "# 01\n",
      "docs/zh/01-hello.md": "# 01 {#_01}\n",
      "docs/zh/notes.txt": "not a page\n",
      "stages/01-hello/README.md": "# 01\n",
    });
    expect(englishPages(root)).toEqual(["docs/01-hello.md", "README.md"]);
    expect(chinesePages(root)).toEqual(["docs/zh/01-hello.md", "README.zh-CN.md"]);
    expect(documents(root)).toEqual([
      "docs/01-hello.md",
      "docs/zh/01-hello.md",
      "README.md",
      "README.zh-CN.md",
      "stages/01-hello/README.md",
    ]);
  });
});
