/** One line of a shell block, read the way bash would split it (well enough for the docs' lines). */

/** The command and its trailing comment (`# 201, the todo`); a `#` inside quotes is not one. */
export function splitComment(text: string): { command: string; comment: string } {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "\\" && quote !== "'") i++;
    else if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      return { command: text.slice(0, i).trim(), comment: text.slice(i).trim() };
    }
  }
  return { command: text.trim(), comment: "" };
}

/** The commands joined by `&&` at the top level, in order. */
export function splitAnd(command: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (char === "\\" && quote !== "'") i++;
    else if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "&" && command[i + 1] === "&") {
      parts.push(command.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  parts.push(command.slice(start).trim());
  return parts.filter(Boolean);
}

/** The status a line's comment says it answers: `# 201, the todo` → 201. */
export function expectedStatus(comment: string): number | undefined {
  const match = /^#\s*([1-5]\d\d)(?!\d)/.exec(comment);
  return match ? Number(match[1]) : undefined;
}

/** The status of the last HTTP response in what a command printed (`HTTP/1.1 201 Created`). */
export function printedStatus(output: string): number | undefined {
  const all = [...output.matchAll(/^HTTP\/[\d.]+ (\d{3})\b/gm)];
  const last = all.at(-1);
  return last ? Number(last[1]) : undefined;
}

/** What a long-running command is waited for: a port it listens on, or its first line of output. */
export type Ready = "app" | "nginx" | "redis" | "output";

/** A command of a line, by what the runner does with it. */
export type Part =
  | { kind: "cd"; dir: string }
  | { kind: "assign"; name: string; value: string }
  | { kind: "npm ci" }
  | { kind: "npm test" }
  | { kind: "docker compose" }
  | { kind: "background"; command: string; ready: Ready }
  | { kind: "run"; command: string };

/** `NAME=value` or `export NAME=value` alone on a line: a variable for the lines after it. */
const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_]\w*)=(\$\(.*\)|"[^"]*"|'[^']*'|[^\s'"]*)$/;

const ENV_PREFIX = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*/;

/** What the runner does with one `&&`-part of a line. */
export function classify(part: string): Part {
  const cd = /^cd\s+(\S+)$/.exec(part);
  if (cd) return { kind: "cd", dir: unquote(cd[1]!) };
  const assigned = ASSIGNMENT.exec(part);
  if (assigned) return { kind: "assign", name: assigned[1]!, value: assigned[2]! };
  if (/^npm ci(\s|$)/.test(part)) return { kind: "npm ci" };
  if (/^npm (?:run )?test$/.test(part)) return { kind: "npm test" };
  if (/^docker[ -]compose\b/.test(part)) return { kind: "docker compose" };
  const words = part.replace(ENV_PREFIX, "");
  const background = part.endsWith("&") && !part.endsWith("&&");
  const command = background ? part.slice(0, -1).trim() : part;
  if (/^npm (?:start|run (?:start|dev|stage))\b/.test(words))
    return { kind: "background", command, ready: "app" };
  if (/^npm run nginx\b/.test(words)) return { kind: "background", command, ready: "nginx" };
  // also at the end of a pipeline: `printf 'requirepass %s\n' "$PW" | redis-server -` (its config on stdin)
  if (/(?:^|\|\s*)redis-server\b/.test(words)) return { kind: "background", command, ready: "redis" };
  if (
    /^npm run worker\b/.test(words) ||
    /^redis-cli\b.*\b(?:p?subscribe|monitor)\b/.test(words) ||
    background
  ) {
    return { kind: "background", command, ready: "output" };
  }
  return { kind: "run", command };
}

const unquote = (text: string) => text.replace(/^(['"])(.*)\1$/, "$2");

/** The programs a command calls: the first word of each simple command in it. */
export function programs(command: string): string[] {
  const found = command.matchAll(/(?:^|[;&|(]|\bdo\b|\bthen\b)\s*(?:[A-Z_][A-Z0-9_]*=\S*\s+)*([\w.-]+)/g);
  return [...found].map(([, word]) => word!);
}

/**
 * The services a command needs, by name: the program on the PATH (`http` is httpie's), or `mongo`
 * (a MongoDB-wire server: MONGO_URL, else a throwaway FerretDB).
 */
export function servicesOf(command: string): string[] {
  const needs = new Set<string>();
  for (const program of programs(command)) {
    if (program === "http" || program === "https") needs.add("httpie");
    if (["redis-server", "redis-cli", "nginx", "wrk", "k6", "sqlite3", "jq", "openssl"].includes(program)) {
      needs.add(program);
    }
  }
  if (/\bnpm run nginx\b/.test(command)) needs.add("nginx");
  const tool = /--tool[ =](wrk|k6)\b/.exec(command);
  if (tool) needs.add(tool[1]!);
  if (/mongodb:\/\/localhost|--store[ =]mongo\b/.test(command)) needs.add("mongo");
  return [...needs];
}
