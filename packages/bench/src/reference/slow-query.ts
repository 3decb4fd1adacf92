import Database from "better-sqlite3";

/**
 * A query that keeps SQLite busy for about `ms` milliseconds: a recursive CTE counting up to a
 * number of rows measured at start-up on this machine. better-sqlite3 runs it synchronously, on
 * the thread that runs the event loop — as it runs every query of the stages.
 */
export function calibratedSlowQuery() {
  const db = new Database(":memory:");
  const count = db
    .prepare<[number], number>(
      "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?) SELECT count(*) FROM n",
    )
    .pluck();
  const timed = (rows: number) => {
    const started = performance.now();
    count.get(rows);
    return performance.now() - started;
  };
  // grow the count until one run takes 20 ms, then keep the fastest of three runs at that size
  let rows = 10_000;
  while (timed(rows) < 20) rows *= 2;
  const fastest = Math.min(timed(rows), timed(rows), timed(rows));
  const rowsPerMs = rows / fastest;
  return {
    rowsPerMs,
    run: (ms: number) => void count.get(Math.max(1, Math.round(ms * rowsPerMs))),
  };
}
