/**
 * How a shell block is run, said in an HTML comment on the line before it (invisible on the page):
 *
 *   <!-- docs:run with="npm run stage -- 02" -->
 *   <!-- docs:run replace="--count 1000000 → --count 2000" because="a million rows take 15 s" -->
 *   <!-- docs:run help="npm run tour" because="a tour takes 15 minutes" -->
 *   <!-- docs:run cwd=stages/06-cache each needs=redis-server -->
 *   <!-- docs:skip because="what a run printed: its pids are an example" -->
 */
export interface RunAnnotation {
  kind: "run";
  /** The folder the block starts in, from the repository root (default: the root). */
  cwd?: string;
  /** Services the commands need beyond those the runner sees in them. */
  needs: string[];
  /** Commands run first, from the root: what they start (a server) keeps running for the block. */
  with: string[];
  /** Text replaced in the commands before they run; `because` says why. */
  replace: { from: string; to: string }[];
  /** Commands that run with `--help` added: their options are checked, nothing is measured. */
  help: string[];
  /** The lines are alternatives: each runs alone, and what it started is stopped before the next. */
  each: boolean;
  because?: string;
}

export interface SkipAnnotation {
  kind: "skip";
  because: string;
}

export type Annotation = RunAnnotation | SkipAnnotation;

const COMMENT = /^\s*<!--\s*docs:(run|skip)\b(.*?)-->\s*$/;
const PAIR = /\s*([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/y;
const KEYS = new Set(["cwd", "needs", "with", "replace", "help", "each", "because"]);

/** Whether a line is meant as an annotation (so a malformed one is reported, not ignored). */
export const looksLikeAnnotation = (line: string) => /<!--\s*docs:(run|skip)\b/.test(line);

/** The annotation on a line, or a message saying what is wrong with it. */
export function parseAnnotation(line: string): Annotation | { error: string } {
  const match = COMMENT.exec(line);
  if (!match)
    return {
      error: 'an annotation is one line: <!-- docs:run key=value … --> or <!-- docs:skip because="…" -->',
    };
  const [, kind, rest = ""] = match;
  const pairs: [string, string | undefined][] = [];
  PAIR.lastIndex = 0;
  for (let at = 0; rest.slice(at).trim() !== ""; at = PAIR.lastIndex) {
    PAIR.lastIndex = at;
    const pair = PAIR.exec(rest);
    if (!pair) return { error: `cannot read the annotation from: ${rest.slice(at).trim()}` };
    const [, key = "", quoted, bare] = pair;
    if (!KEYS.has(key)) return { error: `unknown key "${key}" (the keys: ${[...KEYS].join(", ")})` };
    pairs.push([key, quoted ?? bare]);
  }
  const values = (key: string) => pairs.filter(([k]) => k === key).map(([, v]) => v ?? "");
  const because = values("because")[0];
  if (kind === "skip") {
    if (!because) return { error: 'docs:skip needs because="…": why the block is never run' };
    if (pairs.some(([key]) => key !== "because")) return { error: "docs:skip takes only because" };
    return { kind: "skip", because };
  }
  const replace: { from: string; to: string }[] = [];
  for (const value of values("replace")) {
    const [from, to, extra] = value.split(" → ");
    if (!from || to === undefined || extra !== undefined) {
      return { error: `replace="${value}": write it as replace="what → what instead"` };
    }
    replace.push({ from, to });
  }
  const help = values("help").filter(Boolean);
  if ((replace.length > 0 || help.length > 0) && !because) {
    return { error: 'replace and help change what runs: say why with because="…"' };
  }
  const cwd = values("cwd")[0];
  return {
    kind: "run",
    ...(cwd ? { cwd } : {}),
    needs: values("needs")
      .flatMap((v) => v.split(","))
      .filter(Boolean),
    with: values("with").filter(Boolean),
    replace,
    help,
    each: values("each").length > 0,
    ...(because ? { because } : {}),
  };
}
