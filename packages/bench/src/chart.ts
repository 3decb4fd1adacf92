import type { SummaryRow, TourResults } from "./results.js";
import { CEILING_MARK, below, labelOf, ms, storeLine } from "./table.js";

const STAGE_COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];
const REFERENCE_COLOR = "#9c9c9c";
const FLASK_COLOR = "#c9b79c";

const escape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A log axis over whole powers of ten that covers every value. */
function logScale(values: (number | null)[], width: number) {
  const positive = values.filter((v): v is number => v !== null && v > 0 && Number.isFinite(v));
  const low = Math.floor(Math.log10(Math.min(...positive, 1)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...positive, 10))));
  const x = (v: number) => (v <= 0 ? 0 : ((Math.log10(v) - low) / (high - low)) * width);
  const ticks = Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
  return { x: (v: number) => Math.max(0, x(v)), ticks };
}

const tickLabel = (v: number) => (v >= 1000 ? `${v / 1000}k` : String(v));

/**
 * Requests per second per server (log scale, longer is better) with the p99 latency beside it
 * (log scale, shorter is better), one block per scenario. Plain SVG, no scripts, no fonts to load.
 * A row that answered nothing in its window gets no bars, only what is known: "< 1 req/s".
 */
export function renderChart(results: TourResults): string {
  const rows = results.summary;
  const labelWidth = 190;
  const rpsWidth = 420;
  const gap = 70;
  const p99Width = 250;
  const bar = 16;
  const step = 21;
  const top = 86;
  const rpsLeft = labelWidth;
  const p99Left = rpsLeft + rpsWidth + gap;
  const rps = logScale(
    rows.map((r) => (r.noAnswerWithinSec ? null : r.requestsPerSec)),
    rpsWidth,
  );
  const p99 = logScale(
    rows.map((r) => r.p99Ms),
    p99Width,
  );

  const parts: string[] = [];
  let y = top;
  let previousScenario = "";
  const colorOf = (row: SummaryRow) => {
    const target = results.targets.find((t) => t.id === row.target);
    if (!target || target.kind === "reference") {
      return target?.id.startsWith("flask") ? FLASK_COLOR : REFERENCE_COLOR;
    }
    return STAGE_COLORS[(target.stage - 1) % STAGE_COLORS.length]!;
  };
  const label = (row: SummaryRow) =>
    labelOf(results, row.target) + (row.condition ? ` · ${row.condition}` : "");
  for (const row of rows) {
    if (row.scenario !== previousScenario) {
      y += previousScenario ? 14 : 0;
      parts.push(`<text x="8" y="${y + 12}" class="scenario">${escape(row.scenario)}</text>`);
      y += step;
      previousScenario = row.scenario;
    }
    const color = colorOf(row);
    parts.push(`<text x="${labelWidth - 8}" y="${y + 12}" text-anchor="end">${escape(label(row))}</text>`);
    if (row.noAnswerWithinSec) {
      const why = `${below(row.noAnswerWithinSec)} req/s: no answer within ${row.noAnswerWithinSec} s`;
      parts.push(`<text x="${rpsLeft + 4}" y="${y + 12}" class="value silent">${escape(why)}</text>`);
    } else {
      const w = rps.x(row.requestsPerSec);
      parts.push(
        `<rect x="${rpsLeft}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${color}"/>`,
        `<text x="${(rpsLeft + w + 4).toFixed(1)}" y="${y + 12}" class="value">${Math.round(row.requestsPerSec).toLocaleString("en-US")}${row.atToolCeiling ? ` ${CEILING_MARK}` : ""}</text>`,
      );
    }
    if (row.p99Ms === null) {
      parts.push(`<text x="${p99Left + 4}" y="${y + 12}" class="value silent">–</text>`);
    } else {
      const pw = p99.x(row.p99Ms);
      parts.push(
        `<rect x="${p99Left}" y="${y}" width="${pw.toFixed(1)}" height="${bar}" fill="${color}" opacity="0.6"/>`,
        `<text x="${(p99Left + pw + 4).toFixed(1)}" y="${y + 12}" class="value">${ms(row.p99Ms)}</text>`,
      );
    }
    y += step;
  }
  const bottom = y + 4;
  const axis = (left: number, scale: ReturnType<typeof logScale>, unit: string) =>
    scale.ticks
      .map((t) => {
        const x = (left + scale.x(t)).toFixed(1);
        return (
          `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${bottom}" class="grid"/>` +
          `<text x="${x}" y="${bottom + 16}" text-anchor="middle" class="tick">${tickLabel(t)}${unit}</text>`
        );
      })
      .join("");
  const height = bottom + 50;
  const width = p99Left + p99Width + 60;
  const m = results.machine;
  const subtitle =
    `${results.date.slice(0, 10)} · ${m.cores} cores (${m.cpuModel}) · Node ${m.node} · ` +
    `${results.tool.version} · ${results.settings.connections} connections · ` +
    `median of ${results.settings.rounds} round${results.settings.rounds === 1 ? "" : "s"} × ${results.settings.durationSec} s`;

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">
<style>
  text { fill: #222; }
  .title { font-size: 16px; font-weight: 600; }
  .subtitle, .tick { fill: #666; font-size: 11px; }
  .scenario { font-weight: 600; }
  .value { font-size: 11px; }
  .silent { fill: #b00; font-style: italic; }
  .grid { stroke: #ddd; stroke-width: 1; }
  .head { font-weight: 600; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="22" class="title">zero-to-one benchmark tour</text>
<text x="8" y="40" class="subtitle">${escape(subtitle)}</text>
<text x="8" y="56" class="subtitle">${escape(storeLine(results) ?? "")}</text>
<text x="${rpsLeft}" y="${top - 12}" class="head">requests per second (log scale, longer is better)</text>
<text x="${p99Left}" y="${top - 12}" class="head">p99 latency (log scale, shorter is better)</text>
${axis(rpsLeft, rps, "")}
${axis(p99Left, p99, " ms")}
${parts.join("\n")}
<text x="8" y="${height - 10}" class="subtitle">grey: raw node:http reference servers, the ceiling of this machine · beige: Flask, the article's stack${rows.some((r) => r.atToolCeiling) ? ` · ${CEILING_MARK} at the load tool's ceiling: may measure the tool, not the server` : ""}</text>
</svg>
`;
}
