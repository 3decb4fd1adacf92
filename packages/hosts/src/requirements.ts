import { spawnSync } from "node:child_process";
import { postgresBin } from "./postgres.js";

const missing = (program: string, args = ["--version"]) => {
  const ran = spawnSync(program, args, { stdio: "ignore" });
  return ran.error !== undefined;
};

/** Why the hosts cannot be made here at all (one line), or undefined: root and iproute2. */
export function systemProblem(): string | undefined {
  if (process.platform !== "linux")
    return `several hosts need Linux network namespaces (this is ${process.platform})`;
  if (process.getuid?.() !== 0)
    return "making hosts (network namespaces, links, cgroups) needs root: run it as root";
  if (missing("ip", ["-V"])) return "ip (iproute2) is not installed: apt-get install iproute2";
  return undefined;
}

/** Why the hosts' programs cannot run here (one line), or undefined when every one is installed. */
export function programsProblem(): string | undefined {
  const absent = [
    ["tc", ["-V"], "iproute2"],
    ["setpriv", ["--version"], "util-linux"],
    ["nginx", ["-v"], "nginx-light"],
    ["openssl", ["version"], "openssl"],
    ["redis-server", ["--version"], "redis-server"],
    ["redis-sentinel", ["--version"], "redis-sentinel"],
    ["ferretdb", ["--version"], "scripts/install-ferretdb.sh"],
  ].filter(([program, args]) => missing(program as string, args as string[]));
  const noPostgres = postgresBin() === undefined;
  if (absent.length === 0 && !noPostgres) return undefined;
  const names = [...absent.map(([program]) => program), ...(noPostgres ? ["postgres"] : [])];
  const how = [...absent.map(([, , pkg]) => pkg), ...(noPostgres ? ["postgresql"] : [])];
  return `not installed: ${names.join(", ")} (${how.join(", ")})`;
}
