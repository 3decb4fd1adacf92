import { existsSync, readFileSync } from "node:fs";

/**
 * The article this tutorial retells, 从0到1，Python Web开发的进击之路, as a text file. It is not in the
 * repository (its words are its author's): ARTICLE_TEXT names the file, else it is read where the
 * project's machines keep it.
 */
export const ARTICLE_VARIABLE = "ARTICLE_TEXT";
export const ARTICLE_DEFAULT = "/work/shared/seed/000_dc05300709b48c3f.txt";

/** The article's text, or why it cannot be read (a check that needs it is then skipped, and says so). */
export function readArticle(
  env: Record<string, string | undefined> = process.env,
): { path: string; text: string } | { skipped: string } {
  const path = env[ARTICLE_VARIABLE] || ARTICLE_DEFAULT;
  if (!existsSync(path))
    return {
      skipped: `the article is not at ${path}: set ${ARTICLE_VARIABLE} to its text file to check the 「…」 quotes`,
    };
  return { path, text: readFileSync(path, "utf8") };
}
