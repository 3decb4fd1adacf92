import type { Check, Install, Os } from "./check.js";
import type { Report } from "./doctor.js";

const OS_NAMES: Record<Os | "any", string> = { debian: "Debian/Ubuntu", macos: "macOS", other: "", any: "" };

/** This OS's lines and the ones for any OS; on another OS, or when neither kind exists, all of them. */
export function installFor(check: Check, os: Os): Install[] {
  const fitting = check.install.filter((line) => line.os === os || line.os === "any");
  return os === "other" || fitting.length === 0 ? check.install : fitting;
}

/** What to list under "to install": what is missing, and an informational tool when it helps with that. */
export function missing(report: Report): Check[] {
  const absent = new Set(report.checks.filter((c) => !c.found).map((c) => c.name));
  return report.checks.filter(
    (c) => !c.found && (!c.info || (c.installWith ?? []).some((name) => absent.has(name))),
  );
}

const shown = (check: Check) => check.version ?? (check.found ? (check.source ?? "yes") : "-");

export function renderText(report: Report): string {
  const { checks, platform } = report;
  const nameWidth = Math.max(...checks.map((c) => c.name.length));
  const versionWidth = Math.max(...checks.map((c) => shown(c).length));
  const indent = " ".repeat(4 + nameWidth + 2 + versionWidth + 2);
  const lines = [`zero-to-one doctor · ${platform.name}`, ""];
  for (const check of checks) {
    const mark = check.found ? "✓" : "✗";
    lines.push(
      `  ${mark} ${check.name.padEnd(nameWidth)}  ${shown(check).padEnd(versionWidth)}  ${check.enables}`,
    );
    for (const note of check.notes) lines.push(`${indent}↳ ${note}`);
  }

  const todo = missing(report);
  lines.push("");
  if (todo.length === 0) {
    lines.push("Everything is installed.");
    return lines.join("\n");
  }
  const heading = platform.os === "other" ? "" : ` (commands for ${OS_NAMES[platform.os]})`;
  lines.push(`To install what is missing${heading}:`);
  for (const check of todo) {
    for (const [i, line] of installFor(check, platform.os).entries()) {
      const label = platform.os === "other" && line.os !== "any" ? `${OS_NAMES[line.os]}: ` : "";
      lines.push(`  ${(i === 0 ? check.name : "").padEnd(nameWidth)}  ${label}${line.command}`);
      if (line.note) lines.push(`  ${" ".repeat(nameWidth)}    ${line.note}`);
    }
  }
  const together = allAtOnce(todo, platform.os);
  if (together) lines.push("", `All the packages at once: ${together}`);
  lines.push(
    "",
    "Every tool but Node.js is optional: without one, the tests that need it print `skipped: …` and count",
    "as skipped, and the tour leaves out the rows it would measure.",
  );
  return lines.join("\n");
}

/** The plain `apt-get`/`brew` lines of this OS merged into one command, when there are several. */
function allAtOnce(todo: Check[], os: Os): string | undefined {
  const prefix = { debian: "sudo apt-get install ", macos: "brew install ", other: undefined }[os];
  if (!prefix) return undefined;
  const packages = todo.flatMap((check) =>
    check.install
      .filter((line) => line.os === os && !line.note && line.command.startsWith(prefix))
      .map((line) => line.command.slice(prefix.length)),
  );
  return packages.length > 1 ? prefix + packages.join(" ") : undefined;
}
