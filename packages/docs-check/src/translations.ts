import { existsSync, readdirSync } from "node:fs";
import { join, posix } from "node:path";

/**
 * The Chinese pages and the English pages they translate: `docs/zh/NAME.md` for `docs/NAME.md`, and
 * `README.zh-CN.md` for the root's `README.md`.
 */
export const ZH_DIR = "docs/zh";

const ROOT_PAGES: Record<string, string> = { "README.md": "README.zh-CN.md" };

/** The Chinese page of an English page, or undefined for a file that is not one (a stage's README). */
export function translationOf(page: string): string | undefined {
  if (Object.hasOwn(ROOT_PAGES, page)) return ROOT_PAGES[page];
  const [, name] = /^docs\/([^/]+\.md)$/.exec(page) ?? [];
  return name && `${ZH_DIR}/${name}`;
}

/** The English page a Chinese page translates, or undefined for a file that is not a translation. */
export function originalOf(page: string): string | undefined {
  const root = Object.entries(ROOT_PAGES).find(([, zh]) => zh === page);
  if (root) return root[0];
  const [, name] = new RegExp(`^${ZH_DIR}/([^/]+\\.md)$`).exec(page) ?? [];
  return name && `docs/${name}`;
}

const markdownIn = (root: string, dir: string) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir), { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
        .map((entry) => posix.join(dir, entry.name))
        .sort()
    : [];

/** The English pages that have (or should have) a translation: docs/*.md and README.md. */
export function englishPages(root: string): string[] {
  return [...markdownIn(root, "docs"), ...Object.keys(ROOT_PAGES).filter((p) => existsSync(join(root, p)))];
}

/** The Chinese pages: docs/zh/*.md and README.zh-CN.md. */
export function chinesePages(root: string): string[] {
  return [
    ...markdownIn(root, ZH_DIR),
    ...Object.values(ROOT_PAGES).filter((page) => existsSync(join(root, page))),
  ];
}
