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
  // CPU time, not wall time: on a busy machine a run waits for a core too, and a count calibrated on
  // wall time would come out too small and run shorter than asked once the machine is quiet
  const timed = (rows: number) => {
    const started = process.cpuUsage();
    count.get(rows);
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };
  // grow the count until one run takes 20 ms of CPU, then keep the fastest of three runs at that size
  let rows = 10_000;
  while (timed(rows) < 20) rows *= 2;
  const fastest = Math.min(timed(rows), timed(rows), timed(rows));
  const rowsPerMs = rows / fastest;
  return {
    rowsPerMs,
    run: (ms: number) => void count.get(Math.max(1, Math.round(ms * rowsPerMs))),
  };
}
