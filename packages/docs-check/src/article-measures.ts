import { ARTICLE_FIGURES } from "./article-numbers.js";
import { measuresIn, type Measure } from "./measures.js";

/**
 * Every measured number the article prints, as it prints them: two timings in its prose, and its six
 * `wrk -t 12 -d 5s` runs (latency average, deviation and maximum, Req/Sec per thread, the run's
 * length and bytes read, Requests/sec, Transfer/sec). wrk prints `1.22s` and `Requests/sec: 43.20`;
 * here each is written number first, so that the same rule reads them as reads the docs.
 */
const PRINTED = [
  // the whole list at 10,000 todos, then the first page
  "500 ms",
  "50 ms",
  // the first page, no index (-c 100)
  "1.22 s 618.29 ms 1.90 s 48.12 % 14.64 req/s 10.68 req/s 40.00 req/s 57.94 % 5.09 s 338.38 KB 43.20 req/s 66.45 KB/s",
  // with the index on created_at (-c 100)
  "310.32 ms 47.51 ms 357.47 ms 94.57 % 26.88 req/s 14.11 req/s 80.00 req/s 76.64 % 5.06 s 2.27 MB 298.34 req/s 458.87 KB/s",
  // gunicorn, 9 sync workers (-c 100)
  "109.30 ms 16.10 ms 251.01 ms 90.31 % 72.47 req/s 10.48 req/s 100.00 req/s 78.89 % 5.07 s 6.59 MB 863.35 req/s 1.30 MB/s",
  // gunicorn, 9 meinheld workers (-c 100)
  "84.53 ms 39.90 ms 354.42 ms 72.11 % 94.52 req/s 20.84 req/s 150.00 req/s 70.28 % 5.04 s 8.59 MB 1128.72 req/s 1.71 MB/s",
  // through nginx at 1,000 connections
  "239.50 ms 235.76 ms 1.93 s 91.13 % 83.07 req/s 76.77 req/s 434.00 req/s 76.78 % 5.10 s 6.52 MB 892.04 req/s 1.28 MB/s",
  // with the Redis cache of the first page, through nginx at 1,000 connections
  "68.33 ms 95.27 ms 1.34 s 93.69 % 277.32 req/s 258.20 req/s 1600 req/s 77.33 % 5.10 s 22.77 MB 2992.79 req/s 4.47 MB/s",
  // the cache's expiry, 3600 seconds, and wrk's -d 5s
  "3600 s 5 s",
];

export const ARTICLE_MEASURES: Measure[] = PRINTED.flatMap((text) => measuresIn(text));

const decimals = (value: string) => value.split(".")[1]?.length ?? 0;

/** `value` written with as many decimals as `like`, cut (not rounded): the docs quote 1128.72 as 1,128. */
const cut = (value: number, like: string) => {
  const scale = 10 ** decimals(like);
  return Math.trunc(value * scale + 1e-9) / scale;
};

/**
 * A number the article printed, quoted by its whole part or as printed; or a ratio of two of its
 * Requests/sec (×7 for 298.34 / 43.20), rounded to the digits written.
 */
export function isTheArticles(m: { value: string; unit: string }): boolean {
  const written = Number(m.value);
  if (m.unit === "×") {
    return ARTICLE_FIGURES.some((a) =>
      ARTICLE_FIGURES.some((b) => a > b && Number((a / b).toFixed(decimals(m.value))) === written),
    );
  }
  return ARTICLE_MEASURES.some(
    (a) => a.unit === m.unit && (Number(a.value) === written || cut(Number(a.value), m.value) === written),
  );
}
