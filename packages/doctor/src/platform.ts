import { readFileSync } from "node:fs";
import type { Os } from "./check.js";

export interface Platform {
  os: Os;
  /** For the heading: "Debian GNU/Linux 12 (bookworm)", "macOS"… */
  name: string;
}

/** Which install commands come first: Debian/Ubuntu by /etc/os-release, macOS by process.platform. */
export function detectPlatform(platform: NodeJS.Platform, osRelease: string | undefined): Platform {
  if (platform === "darwin") return { os: "macos", name: "macOS" };
  const field = (key: string) =>
    new RegExp(`^${key}=(.*)$`, "m").exec(osRelease ?? "")?.[1]?.replace(/^["']|["']$/g, "");
  const family = `${field("ID") ?? ""} ${field("ID_LIKE") ?? ""}`.split(/\s+/);
  const name = field("PRETTY_NAME") ?? platform;
  return { os: family.includes("debian") || family.includes("ubuntu") ? "debian" : "other", name };
}

export function localPlatform(): Platform {
  let osRelease: string | undefined;
  try {
    osRelease = readFileSync("/etc/os-release", "utf8");
  } catch {
    // not Linux, or a Linux without it: no OS-specific lines first
  }
  return detectPlatform(process.platform, osRelease);
}
