import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { MarkdownRenderer } from "vitepress";
import { anchorPairs } from "./anchors.js";

type State = Parameters<Parameters<MarkdownRenderer["core"]["ruler"]["push"]>[1]>[0];
type Token = State["tokens"][number];

export interface LinkOptions {
  /** The site's source folder (docs/). */
  srcDir: string;
  /** The repository's root folder: what a page may link to outside srcDir. */
  root: string;
  /** The folders of srcDir that hold a translation of its pages, under the same names ("zh"). */
  translations: string[];
  /** The repository's web address, from the root package.json's `repository`. */
  repository?: string | undefined;
}

/**
 * The web address of a package.json `repository` field ("github:o/r", "o/r", `{ url }` with a
 * git+https, git or ssh URL), or undefined when it names none.
 */
export function repositoryUrl(field: unknown): string | undefined {
  const value = typeof field === "object" && field !== null ? (field as { url?: unknown }).url : field;
  if (typeof value !== "string") return undefined;
  const hosts: Record<string, string> = {
    github: "github.com",
    gitlab: "gitlab.com",
    bitbucket: "bitbucket.org",
  };
  const short = /^(?:(github|gitlab|bitbucket):)?([\w.-]+\/[\w.-]+)$/.exec(value);
  if (short) return `https://${hosts[short[1] ?? "github"]}/${short[2]!.replace(/\.git$/, "")}`;
  const ssh = /^(?:ssh:\/\/)?git@([^:/]+)[:/](.+?)(?:\.git)?\/?$/.exec(value);
  if (ssh) return `https://${ssh[1]}/${ssh[2]}`;
  const web = /^(?:git\+)?(?:https?|git):\/\/(?:[^@/]+@)?([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(value);
  return web ? `https://${web[1]}/${web[2]}` : undefined;
}

/**
 * The pages' relative links are written for the repository host; this makes them work on the site.
 *
 * - A link out of docs/ (`../stages/05-cluster/src/primary.ts`) names no page of the site. With a
 *   repository address it becomes a link to the file there (default branch, `HEAD`); without one,
 *   the link is dropped and its text shows the file's path from the repository's root as code, so
 *   the reader still knows where to look.
 * - `README.md` is each locale's home page (`index.md` after the site's rewrites).
 * - An `#anchor` written as the host makes it (`#the-articles-steps`) moves to the heading's
 *   anchor on the site (`#the-article-s-steps`); a translated page's headings carry the English
 *   page's anchors, so its links move the same way.
 * - A link to a file that is not a page (a recording) must name an existing file: the build copies
 *   those next to the pages.
 *
 * A link to a file or folder that does not exist fails the build, as VitePress fails it for a
 * dead link between pages.
 */
export function docsLinks(md: MarkdownRenderer, options: LinkOptions) {
  md.core.ruler.push("docs_links", (state: State) => {
    const env = state.env as { path?: unknown; realPath?: unknown } | undefined;
    const page = typeof env?.realPath === "string" ? env.realPath : env?.path;
    if (typeof page !== "string") return;
    for (const block of state.tokens) {
      if (block.type === "inline" && block.children) {
        block.children = rewriteLinks(block.children, page, options, state.Token);
      }
    }
  });
}

function rewriteLinks(tokens: Token[], page: string, options: LinkOptions, Token: State["Token"]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    const href = open.type === "link_open" ? open.attrGet("href") : null;
    const target = href === null ? undefined : localTarget(href, page, options);
    if (!href || !target) {
      out.push(open);
      continue;
    }
    // a missing page is VitePress's to report, with every other dead link of the build
    if (target.kind !== "page" && !existsSync(target.file)) {
      throw new Error(`${relative(options.root, page)}: dead link to ${href} (no ${target.path})`);
    }
    if (target.kind === "page") {
      const anchor = siteAnchor(target.file, target.hash, options);
      const link = target.pathPart.replace(/(^|\/)README\.md$/, "$1index.md");
      if (anchor !== target.hash || link !== target.pathPart)
        open.attrSet("href", `${link}${target.query}${anchor}`);
      out.push(open);
    } else if (target.kind === "file") {
      out.push(open);
    } else if (options.repository) {
      const kind = statSync(target.file).isDirectory() ? "tree" : "blob";
      open.attrSet("href", `${options.repository}/${kind}/HEAD/${target.path}${target.hash}`);
      out.push(open);
    } else {
      const close = tokens.findIndex((token, j) => j > i && token.type === "link_close");
      const text = tokens.slice(i + 1, close);
      const code = new Token("code_inline", "code", 0);
      code.content = target.path;
      code.markup = "`";
      if (text.length === 1 && text[0]!.type === "code_inline") out.push(code);
      else out.push(...text, textToken(Token, " ("), code, textToken(Token, ")"));
      i = close;
    }
  }
  return out;
}

function textToken(Token: State["Token"], content: string): Token {
  const token = new Token("text", "", 0);
  token.content = content;
  return token;
}

interface Target {
  kind: "page" | "file" | "outside";
  /** The absolute path the link names. */
  file: string;
  /** Its path from the repository's root, with forward slashes. */
  path: string;
  /** The link's path as written ("" for a link to an anchor of its own page). */
  pathPart: string;
  query: string;
  hash: string;
}

/**
 * What a relative link names on disk: a page (a markdown file in docs/, or an anchor on this
 * page), another file in docs/, or anything outside docs/. Undefined for site paths
 * (`/05-cluster`) and URLs, which are left to VitePress.
 */
function localTarget(href: string, page: string, { srcDir, root }: LinkOptions): Target | undefined {
  if (href === "" || href.startsWith("/") || /^[a-z][a-z\d+.-]*:/i.test(href)) return undefined;
  const [, pathPart = "", query = "", hash = ""] = /^([^?#]*)(\?[^#]*)?(#.*)?$/.exec(href) ?? [];
  const file = pathPart === "" ? page : resolve(dirname(page), decodeURI(pathPart));
  const path = relative(root, file).split(sep).join("/");
  if (path.startsWith("../")) throw new Error(`${relative(root, page)}: ${href} leaves the repository`);
  const inDocs = !relative(srcDir, file).startsWith("..");
  const isPage = pathPart === "" || pathPart.endsWith(".md");
  const kind = !inDocs ? "outside" : isPage ? "page" : "file";
  if (inDocs && !isPage && !/\.[^/]+$/.test(pathPart)) return undefined; // a clean URL: VitePress's
  return { kind, file, path, pathPart, query, hash };
}

const pairsCache = new Map<string, { mtimeMs: number; pairs: Map<string, string> }>();

/**
 * The site's anchor for `hash` on the page `file`: the same, unless it is the host's anchor of a
 * heading whose site anchor differs. A translated page is looked up in the English page it
 * translates, whose anchors its headings carry.
 */
function siteAnchor(file: string, hash: string, { srcDir, translations }: LinkOptions): string {
  if (!hash) return hash;
  const [first, ...rest] = relative(srcDir, file).split(sep);
  const english = first && translations.includes(first) ? join(srcDir, ...rest) : file;
  if (!existsSync(english)) return hash;
  const { mtimeMs } = statSync(english);
  let cached = pairsCache.get(english);
  if (cached?.mtimeMs !== mtimeMs) {
    cached = { mtimeMs, pairs: anchorPairs(readFileSync(english, "utf8")) };
    pairsCache.set(english, cached);
  }
  const anchor = decodeURIComponent(hash.slice(1));
  const sites = new Set(cached.pairs.values());
  const moved = sites.has(anchor) ? undefined : cached.pairs.get(anchor);
  return moved === undefined ? hash : `#${moved}`;
}
