/**
 * Measured numbers: a number with a unit of time, rate, ratio, share or size, as prose and tables
 * write them. Only digits count ("seven times" is a word), and only with a unit ("10,000 todos" is a
 * count, "2 cores" a fact of the machine). See the README's "Measured numbers" for the whole rule.
 */

/** One measured number as written, and what it is compared by: its digits and its unit. */
export interface Measure {
  /** As written, e.g. `1,128 req/s`, `×7`, `2.2` (from `2.2 – 5.0 ms`). */
  text: string;
  /** The digits without thousands commas, decimals as written: `1128`, `5.0`. */
  value: string;
  /** The unit, one spelling for each: `ms`, `s`, `req/s`, `×`, `%`, `KB`… */
  unit: string;
  /** Where the number starts in the text it was found in. */
  index: number;
}

/** Each unit: its canonical spelling and how prose writes it (tried in this order, longest first). */
const UNITS: [unit: string, pattern: string][] = [
  ["req/s", String.raw`(?:[Rr]eq(?:uest)?s?|ops|queries|answers|responses)[ ]?\/[ ]?s(?:ec(?:ond)?)?(?!\w)`],
  ["req/s", String.raw`rps(?!\w)`],
  [
    "req/s",
    String.raw`(?:requests?|answers?|responses?|queries|query|exports?|jobs?|writes?|reads?|operations?|ops) (?:per|a|each) (?:second|sec|s)(?!\w)`,
  ],
  // a translation's: 43 次/秒, 43 个请求/秒 (每秒 43 个请求, the unit first, is read in measuresIn)
  ["req/s", String.raw`[次个]?(?:请求|查询|应答|响应|导出|任务|写入|读取)?[ ]?\/[ ]?秒`],
  ["KB/s", String.raw`(?:KB|kB|KiB)\/s(?!\w)`],
  ["MB/s", String.raw`(?:MB|MiB)\/s(?!\w)`],
  ["ns", String.raw`(?:nanoseconds?|ns)(?!\w)|纳秒`],
  ["µs", String.raw`(?:microseconds?|µs|μs)(?!\w)|微秒`],
  ["ms", String.raw`(?:milliseconds?|ms)(?!\w)|毫秒`],
  ["s", String.raw`(?:seconds?|secs?)(?!\w)|秒钟?`],
  ["min", String.raw`(?:minutes?|mins?)(?!\w)|分钟`],
  ["h", String.raw`hours?(?!\w)|个?小时`],
  ["%", String.raw`(?:%|％|percent(?!\w)|per cent(?!\w))`],
  ["×", String.raw`×(?!\w)|倍`],
  [
    "×",
    String.raw`times(?= (?:more|less|fewer|faster|slower|higher|lower|larger|smaller|bigger|as|the|stage|that|what|over|its)\b)`,
  ],
  ["KB", String.raw`(?:KB|kB)(?!\w)`],
  ["KiB", String.raw`KiB(?!\w)`],
  ["MB", String.raw`MB(?!\w)`],
  ["MiB", String.raw`MiB(?!\w)`],
  ["GB", String.raw`GB(?!\w)`],
  ["GiB", String.raw`GiB(?!\w)`],
  ["B", String.raw`bytes?(?!\w)|字节`],
];

/** `s` and `h` alone are units only after a space: `5 s`, never `1990s`. */
const SPACED_ONLY: [unit: string, pattern: string][] = [
  ["s", String.raw`s(?![\w'’])`],
  ["h", String.raw`h(?!\w)`],
];

const GAP = "[ \\u00a0\\u2009\\u202f]";
const UNIT_AFTER = new RegExp(
  `^(?:${GAP}?(?:-(?=(?:second|millisecond|microsecond|minute|hour)))?(?:${UNITS.map(([, p]) => `(${p})`).join("|")})` +
    `|${GAP}(?:${SPACED_ONLY.map(([, p]) => `(${p})`).join("|")}))`,
);
const UNIT_NAMES = [...UNITS, ...SPACED_ONLY].map(([unit]) => unit);

/** A number: digits with thousands commas or none, decimals; not part of a word, a version or a path. */
const NUMBER = /(?<![\w.,/:#@$-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|[.,]\d)/g;

/** Between two numbers of a range: `2.2 – 5.0 ms`, `5–6 ms`, `2 to 5 ms`, `2 到 5 毫秒`. */
const RANGE = new RegExp(`^${GAP}?(?:–|—|-|to|到|至|~|～)${GAP}?$`);

/** A rate written unit first, as Chinese does: `每秒 43 个请求`, `每秒处理 863 个`. */
const PER_SECOND_BEFORE = new RegExp(`每秒\\p{Script=Han}{0,4}${GAP}?$`, "u");

interface Found {
  text: string;
  value: string;
  index: number;
  end: number;
  unit?: string;
  /** Where the unit ends, for a number that has one of its own. */
  unitEnd?: number;
}

/** The unit written right after position `end` of `text`, if any. */
function unitAfter(text: string, end: number): { unit: string; length: number } | undefined {
  const match = UNIT_AFTER.exec(text.slice(end));
  if (!match) return undefined;
  const group = match.slice(1).findIndex((g) => g !== undefined);
  return { unit: UNIT_NAMES[group]!, length: match[0].length };
}

/**
 * The measured numbers of one line of prose or one table cell. A number without a unit of its own is
 * measured when it opens a range whose other end has one (`2.2 – 5.0 ms`), or sits in brackets right
 * after a measured number (`10,780 req/s (8,892 – 13,350)`).
 */
export function measuresIn(text: string): Measure[] {
  const found: Found[] = [...text.matchAll(NUMBER)].map((match) => {
    const index = match.index;
    const end = index + match[0].length;
    const number: Found = { text: match[0], value: match[0].replaceAll(",", ""), index, end };
    if (/×[ \u00a0]?$/.test(text.slice(Math.max(0, index - 2), index))) {
      number.unit = "×";
      number.index = text.lastIndexOf("×", index);
      number.text = text.slice(number.index, end);
      number.unitEnd = end;
      return number;
    }
    const perSecond = PER_SECOND_BEFORE.exec(text.slice(Math.max(0, index - 10), index));
    if (perSecond) {
      number.unit = "req/s";
      number.index = index - perSecond[0].length;
      number.text = text.slice(number.index, end);
      number.unitEnd = end;
      return number;
    }
    // "3.4 times" is a ratio; a whole "20 times" only before a comparison (20 times more), not a count
    const unit =
      unitAfter(text, end) ??
      (match[0].includes(".") && /^ times(?!\w)/.test(text.slice(end))
        ? { unit: "×", length: 6 }
        : undefined);
    if (unit) {
      number.unit = unit.unit;
      number.unitEnd = end + unit.length;
      number.text = text.slice(index, end + unit.length);
    }
    return number;
  });
  // a range's first number takes the unit of its last: 2.2 – 5.0 ms, between 5.5 and 15 s
  for (let i = found.length - 2; i >= 0; i--) {
    const [a, b] = [found[i]!, found[i + 1]!];
    if (a.unit || !b.unit) continue;
    const between = text.slice(a.end, b.index);
    const isBetween = between === " and " && /\bbetween $/.test(text.slice(0, a.index));
    if (RANGE.test(between) || isBetween) a.unit = b.unit;
  }
  // numbers in brackets right after a measured number: 10,780 req/s (8,892 – 13,350)
  for (let i = 1; i < found.length; i++) {
    const [before, number] = [found[i - 1]!, found[i]!];
    if (number.unit || !before.unit) continue;
    const from = before.unitEnd ?? before.end;
    const between = text.slice(from, number.index);
    const inBrackets = /^\s*\(\s*$/.test(between);
    const continuesRange = before.unitEnd === undefined && RANGE.test(between);
    if (inBrackets || continuesRange) number.unit = before.unit;
  }
  return found
    .filter((n): n is Found & { unit: string } => n.unit !== undefined)
    .map(({ text, value, unit, index }) => ({ text, value, unit, index }));
}

/**
 * The unit a table column's header names for its cells (`p99 ms`, `req/s`, `CPU µs / request`,
 * `answered per s`), or undefined. A unit after a number (`exports in 4 s`) is not the column's.
 */
export function columnUnit(header: string): string | undefined {
  const bare = header.replace(NUMBER, (n) => "#".repeat(n.length));
  for (const match of bare.matchAll(/(?:^|[\s(/,（，、])(?=\S)/g)) {
    const at = match.index + match[0].length;
    if (/#[ \u00a0]?$/.test(bare.slice(0, at))) continue;
    if (bare.startsWith("per s", at) && !/\w/.test(bare[at + 5] ?? "")) return "req/s";
    if (bare.startsWith("每秒", at)) return "req/s";
    const unit = unitAfter(` ${bare.slice(at)}`, 0);
    if (unit && unit.unit !== "×") return unit.unit;
  }
  return undefined;
}

/** Every number in `text`, with no regard to units: a table cell that takes its column's unit. */
export function numbersIn(text: string, unit: string): Measure[] {
  return [...text.matchAll(NUMBER)].map((n) => ({
    text: n[0],
    value: n[0].replaceAll(",", ""),
    unit,
    index: n.index,
  }));
}

/** How two measures compare: the same digits and the same unit. */
export const measureKey = (m: { value: string; unit: string }) => `${m.value} ${m.unit}`;
