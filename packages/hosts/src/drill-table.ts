import type { DrillRow } from "./drill.js";
import { WHOLE_FOR_MS } from "./tally.js";

const COLUMNS: { title: string; width: number; cell: (r: DrillRow) => string }[] = [
  { title: "drill", width: 19, cell: (r) => r.drill },
  { title: "requests", width: 8, cell: (r) => String(r.requests) },
  { title: "5xx", width: 4, cell: (r) => String(r.errors["5xx"]) },
  { title: "429", width: 4, cell: (r) => String(r.errors["429"]) },
  { title: "401", width: 4, cell: (r) => String(r.errors["401"]) },
  { title: "4xx", width: 4, cell: (r) => String(r.errors["4xx"]) },
  { title: "net", width: 4, cell: (r) => String(r.errors.network) },
  {
    title: "whole after",
    width: 11,
    cell: (r) => (r.wholeAfterS === null ? "never" : `${r.wholeAfterS.toFixed(1)} s`),
  },
  { title: "slowest", width: 7, cell: (r) => `${r.slowestS.toFixed(1)} s` },
  { title: "acked writes", width: 12, cell: (r) => String(r.acknowledgedWrites) },
  { title: "lost", width: 4, cell: (r) => String(r.writesLost) },
  {
    title: "lost since backup",
    width: 17,
    cell: (r) => (r.lostSinceBackup === undefined ? "-" : String(r.lostSinceBackup)),
  },
  { title: "jobs", width: 4, cell: (r) => String(r.jobs) },
  { title: "lost", width: 4, cell: (r) => String(r.jobsLost) },
  { title: "run twice", width: 9, cell: (r) => String(r.jobsRunTwice) },
  { title: "took", width: 6, cell: (r) => `${r.durationS.toFixed(0)} s` },
];

/** The drills' table: one row each, then what each did and what shows it happened. */
export function renderDrills(rows: readonly DrillRow[]): string {
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(COLUMNS[i]!.width) : c.padStart(COLUMNS[i]!.width))).join("  ");
  const out = [line(COLUMNS.map((c) => c.title)), ...rows.map((r) => line(COLUMNS.map((c) => c.cell(r))))];
  for (const r of rows) {
    out.push("", `${r.drill}: ${r.failure}`);
    for (const [name, value] of Object.entries(r.facts)) out.push(`  ${name}: ${JSON.stringify(value)}`);
    for (const note of r.notes) out.push(`  - ${note}`);
  }
  out.push(
    "",
    "Columns: requests sent by the load (signed-in clients through the lb: creates, first pages, single",
    "todos, exports); the errors they got: 5xx, 429, 401 (a lost session), other 4xx, net (no answer);",
    `whole after: from the failure until every request succeeded again, for at least ${WHOLE_FOR_MS / 1000} s;`,
    "slowest: the longest a request waited for its answer (a slow answer is no error);",
    "acked writes: creates answered 201, and lost: those not found afterwards in the primary database",
    "(db1, read directly); lost since backup (restore only): acknowledged after the backup began, gone",
    "after the restore, what a backup alone loses; jobs: exports answered 202, lost: not completed, run",
    "twice: started again after a worker or Redis failed (a rerun writes the same file: harmless).",
  );
  return out.join("\n");
}
