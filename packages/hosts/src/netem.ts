import { linkOf } from "./network.js";
import { must, run } from "./run.js";
import { PREFIX } from "./topology.js";

/**
 * Why `tc … netem` cannot delay packets here (the kernel's own words), or undefined when it can.
 * It tries on the loopback of a throwaway namespace, so nothing of the machine's is touched.
 */
export async function netemProblem(): Promise<string | undefined> {
  const probe = `${PREFIX}netem-probe`;
  await run(["ip", "netns", "del", probe]);
  const made = await run(["ip", "netns", "add", probe]);
  if (made.code !== 0) return `cannot make a namespace to try netem in: ${made.stderr.trim()}`;
  try {
    const ran = await run([
      "ip",
      "netns",
      "exec",
      probe,
      "tc",
      "qdisc",
      "add",
      "dev",
      "lo",
      "root",
      "netem",
      "delay",
      "1ms",
    ]);
    if (ran.code === 0) return undefined;
    return (
      `tc netem is not available on this kernel (sch_netem): \`tc qdisc add … netem delay\` says ` +
      `"${(ran.stderr.trim() || ran.stdout.trim()).split("\n")[0]}"`
    );
  } finally {
    await run(["ip", "netns", "del", probe]);
  }
}

/**
 * Delays every packet the bridge sends to the host by `ms`: on the outer end of its veth pair, so a
 * request from one host to another and its answer are each delayed once (a round trip of 2 × ms).
 */
export async function addDelay(name: string, ms: number): Promise<void> {
  await must(["tc", "qdisc", "add", "dev", linkOf(name), "root", "netem", "delay", `${ms}ms`]);
}

/** The delay on the host's link in ms, if any. */
export async function delayOf(name: string): Promise<number | undefined> {
  const ran = await run(["tc", "qdisc", "show", "dev", linkOf(name)]);
  const match = /netem .*delay (\d+(?:\.\d+)?)(us|ms|s)\b/.exec(ran.stdout);
  if (!match) return undefined;
  const scale = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
  return Number(match[1]) * scale;
}
