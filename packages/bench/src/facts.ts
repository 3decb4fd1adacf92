import { type Facts, PAGE_SIZE, deepStartFor } from "./scenarios.js";

interface Page {
  data: { id: string }[];
  next?: string | null;
}

async function getPage(url: string, headers: Record<string, string>): Promise<Page> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Page;
}

/**
 * Reads from a running, seeded stage what the scenarios need: ids for `mixed`, and for 04+ the
 * keyset cursor of the deep page — checked to open exactly the page the offset scenario reads.
 * A stage whose paging does not give that cursor gets `deepCursor: null` and the reason. `headers`
 * go with every request (a signed-in client's token, stage 08 on).
 */
export async function gatherFacts(
  baseUrl: string,
  stage: number,
  rows: number,
  headers: Record<string, string> = {},
): Promise<{ facts: Facts; noKeyset?: string }> {
  const facts: Facts = { rows, deepStart: deepStartFor(rows), deepCursor: null, ids: [] };
  if (stage < 2) return { facts };
  facts.ids = (await getPage(`${baseUrl}/todo`, headers)).data.slice(0, 3).map((t) => t.id);
  if (facts.ids.length < 3) throw new Error(`the store holds fewer than 3 todos after seeding`);
  if (stage < 4) return { facts };
  try {
    facts.deepCursor = await deepCursor(baseUrl, facts.deepStart, headers);
    return { facts };
  } catch (error) {
    return { facts, noKeyset: (error as Error).message };
  }
}

async function deepCursor(baseUrl: string, deepStart: number, headers: Record<string, string>) {
  const before = await getPage(`${baseUrl}/todo?start=${deepStart - PAGE_SIZE}&limit=${PAGE_SIZE}`, headers);
  if (!before.next) throw new Error(`GET /todo?start=${deepStart - PAGE_SIZE} gives no "next" cursor`);
  const byOffset = await getPage(`${baseUrl}/todo?start=${deepStart}&limit=${PAGE_SIZE}`, headers);
  const byCursor = await getPage(
    `${baseUrl}/todo?before=${encodeURIComponent(before.next)}&limit=${PAGE_SIZE}`,
    headers,
  );
  const ids = (p: Page) => p.data.map((t) => t.id).join(",");
  if (ids(byOffset) !== ids(byCursor) || byOffset.data.length === 0) {
    throw new Error(`its "next" cursor does not open the page at offset ${deepStart}`);
  }
  return before.next;
}
