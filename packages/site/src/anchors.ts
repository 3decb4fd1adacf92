import { slugify } from "../../docs-check/src/headings.js";

/** A heading's text as plain text: no `{#anchor}`, code ticks, emphasis or link targets. */
export function plainHeading(text: string): string {
  return text
    .replace(/\s*\{#[^}]*\}\s*$/, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, "$2")
    .trim();
}

/** The anchor VitePress gives a heading: the slug docs-check checks the translations' anchors with. */
export const siteSlug = slugify;

/**
 * The anchor the repository host (GitHub) gives a heading: lower case, punctuation dropped, each
 * space a dash. It differs from the site's where a heading has an apostrophe or a comma in a number.
 */
export function hostSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The ATX headings of a markdown page, outside code fences, as plain text. */
export function headings(markdown: string): string[] {
  const found: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    const heading = fence === undefined ? /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line) : null;
    if (heading) found.push(plainHeading(heading[1]!));
  }
  return found;
}

/**
 * For each heading of a page, the host's anchor and the site's, numbered as both number repeated
 * headings (`-1`, `-2`): a link written for the repository host can be moved to the site's anchor.
 */
export function anchorPairs(markdown: string): Map<string, string> {
  const seen = { host: new Map<string, number>(), site: new Map<string, number>() };
  const unique = (slug: string, counts: Map<string, number>) => {
    const count = counts.get(slug) ?? 0;
    counts.set(slug, count + 1);
    return count === 0 ? slug : `${slug}-${count}`;
  };
  return new Map(
    headings(markdown).map((text) => [unique(hostSlug(text), seen.host), unique(siteSlug(text), seen.site)]),
  );
}
