import { describe, expect, it } from "vitest";
import { detectPlatform } from "../src/platform.js";

describe("detectPlatform", () => {
  it("knows Debian and its derivatives by /etc/os-release", () => {
    const debian = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n';
    expect(detectPlatform("linux", debian)).toEqual({ os: "debian", name: "Debian GNU/Linux 12 (bookworm)" });
    const ubuntu = 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nID_LIKE=debian\n';
    expect(detectPlatform("linux", ubuntu)).toEqual({ os: "debian", name: "Ubuntu 24.04.1 LTS" });
    expect(detectPlatform("linux", 'ID=linuxmint\nID_LIKE="ubuntu debian"\n').os).toBe("debian");
  });

  it("knows macOS by its platform, and calls the rest other", () => {
    expect(detectPlatform("darwin", undefined)).toEqual({ os: "macos", name: "macOS" });
    expect(detectPlatform("linux", 'PRETTY_NAME="Fedora Linux 40"\nID=fedora\n')).toEqual({
      os: "other",
      name: "Fedora Linux 40",
    });
    expect(detectPlatform("linux", "ID=debian-like-but-not\n").os).toBe("other");
    expect(detectPlatform("linux", undefined)).toEqual({ os: "other", name: "linux" });
  });
});
