import { existsSync, readFileSync } from "node:fs";

/**
 * The article this tutorial retells, 从0到1，Python Web开发的进击之路, as a text file. It is not in the
 * repository (its words are its author's): ARTICLE_TEXT names the file.
 */
export const ARTICLE_VARIABLE = "ARTICLE_TEXT";

/** The article's text, or why it cannot be read (a check that needs it is then skipped, and says so). */
export function readArticle(
  env: Record<string, string | undefined> = process.env,
): { path: string; text: string } | { skipped: string } {
  const path = env[ARTICLE_VARIABLE];
  if (!path)
    return { skipped: `set ${ARTICLE_VARIABLE} to the article's text file to check the 「…」 quotes` };
  if (!existsSync(path))
    return {
      skipped: `the article is not at ${path}: set ${ARTICLE_VARIABLE} to its text file to check the 「…」 quotes`,
    };
  return { path, text: readFileSync(path, "utf8") };
}
