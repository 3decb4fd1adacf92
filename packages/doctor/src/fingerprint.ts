import type { Report } from "./doctor.js";

const ORDER = [
  "node",
  "redis-server",
  "redis-sentinel",
  "nginx",
  "openssl",
  "chromium",
  "ferretdb",
  "wrk",
  "k6",
  "flask",
  "gunicorn",
  "gevent",
  "mongo_url",
  "redis_url",
];

/**
 * One line naming each optional tool and its version, or `-`: what the test results depend on
 * besides the code, so a cache keyed on it is not replayed after something is installed or removed.
 */
export function fingerprint(report: Report): string {
  const entries = report.checks.flatMap((check) => Object.entries(check.fingerprint ?? {}));
  const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);
  return entries
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([key, value]) => `${key}=${value.replace(/\s+/g, "_") || "-"}`)
    .join(" ");
}
