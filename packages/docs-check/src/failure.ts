/** One thing a writer must fix: where (a Markdown file and line, paths from the repository root), and what. */
export interface Failure {
  check: "quote" | "table" | "article" | "record" | "measured" | "command" | "translation";
  file: string;
  line: number;
  message: string;
}

export const formatFailure = (f: Failure) => `${f.file}:${f.line}: ${f.message}`;
