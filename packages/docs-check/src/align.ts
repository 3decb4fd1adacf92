/** Two lists set side by side the way a diff does: what both have, what one lacks, what differs in place. */
export type Step<A, B> =
  | { kind: "same"; a: A; b: B }
  /** At the same place in both, but not the same: a run of one item on each side between two matches. */
  | { kind: "changed"; a: A; b: B }
  | { kind: "missing"; a: A }
  | { kind: "extra"; b: B };

/**
 * The longest common subsequence of `as` and `bs` under `same`; between two of its matches, runs of
 * equal length pair up as changed, others are missing from `bs` or extra in it. The lists are a page's
 * headings or code blocks: a few hundred at most.
 */
export function align<A, B>(as: A[], bs: B[], same: (a: A, b: B) => boolean): Step<A, B>[] {
  const rows = as.length + 1;
  const cols = bs.length + 1;
  const lcs = new Uint16Array(rows * cols);
  for (let i = as.length - 1; i >= 0; i--) {
    for (let j = bs.length - 1; j >= 0; j--) {
      lcs[i * cols + j] = same(as[i]!, bs[j]!)
        ? lcs[(i + 1) * cols + j + 1]! + 1
        : Math.max(lcs[(i + 1) * cols + j]!, lcs[i * cols + j + 1]!);
    }
  }
  const steps: Step<A, B>[] = [];
  let [missing, extra]: [A[], B[]] = [[], []];
  const flush = () => {
    if (missing.length === extra.length) {
      missing.forEach((a, k) => steps.push({ kind: "changed", a, b: extra[k]! }));
    } else {
      for (const a of missing) steps.push({ kind: "missing", a });
      for (const b of extra) steps.push({ kind: "extra", b });
    }
    [missing, extra] = [[], []];
  };
  let [i, j] = [0, 0];
  while (i < as.length || j < bs.length) {
    if (i < as.length && j < bs.length && same(as[i]!, bs[j]!)) {
      flush();
      steps.push({ kind: "same", a: as[i++]!, b: bs[j++]! });
    } else if (j >= bs.length || (i < as.length && lcs[(i + 1) * cols + j]! >= lcs[i * cols + j + 1]!)) {
      missing.push(as[i++]!);
    } else {
      extra.push(bs[j++]!);
    }
  }
  flush();
  return steps;
}
