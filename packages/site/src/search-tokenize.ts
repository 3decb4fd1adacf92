/**
 * The words of a text for the local search index and for its queries. MiniSearch's default splits
 * on spaces and punctuation only, which leaves a Chinese sentence as one "word": a query for 索引
 * would never match 索引改变了什么. Runs of text that contain Han characters are cut into words by
 * Intl.Segmenter (in Node while indexing, in the browser while searching); anything else is split
 * as MiniSearch does.
 *
 * VitePress sends this function to the browser as its source text, so it must not use anything
 * from outside its own body.
 */
export function searchTokenize(text: string): string[] {
  const words: string[] = [];
  let segmenter: Intl.Segmenter | undefined;
  for (const run of text.split(/[\n\r\p{Z}\p{P}]+/u)) {
    if (!run) continue;
    if (!/\p{Script=Han}/u.test(run)) {
      words.push(run);
      continue;
    }
    segmenter ??= new Intl.Segmenter("zh", { granularity: "word" });
    for (const { segment, isWordLike } of segmenter.segment(run)) if (isWordLike) words.push(segment);
  }
  return words;
}
