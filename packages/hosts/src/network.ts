import { must, run } from "./run.js";
import { BRIDGE, BRIDGE_ADDRESS, PREFIX, SUBNET } from "./topology.js";

/** The network namespace that is the host `name`: its own interfaces, addresses, routes and ports. */
export const netnsOf = (name: string) => `${PREFIX}${name}`;
/** The host's cable: a veth pair, this end on the bridge (outside), the other end the host's eth0. */
export const linkOf = (name: string) => `${PREFIX}${name}`;

const prefixLength = SUBNET.split("/")[1];

/** The bridge, with this machine on it at BRIDGE_ADDRESS, so the host machine reaches every host. */
export async function makeBridge(): Promise<void> {
  await must(["ip", "link", "add", BRIDGE, "type", "bridge"]);
  await must(["ip", "addr", "add", `${BRIDGE_ADDRESS}/${prefixLength}`, "dev", BRIDGE]);
  await must(["ip", "link", "set", BRIDGE, "up"]);
}

/** A host: a namespace, its loopback, and a veth pair to the bridge with `address` on the inside. */
export async function makeHost(name: string, address: string): Promise<void> {
  const ns = netnsOf(name);
  const outside = linkOf(name);
  const inside = `${outside}-in`; // renamed to eth0 once in the namespace
  await must(["ip", "netns", "add", ns]);
  await must(["ip", "-n", ns, "link", "set", "lo", "up"]);
  await must(["ip", "link", "add", outside, "type", "veth", "peer", "name", inside]);
  await must(["ip", "link", "set", inside, "netns", ns]);
  await must(["ip", "-n", ns, "link", "set", inside, "name", "eth0"]);
  await must(["ip", "-n", ns, "addr", "add", `${address}/${prefixLength}`, "dev", "eth0"]);
  await must(["ip", "-n", ns, "link", "set", "eth0", "up"]);
  await must(["ip", "link", "set", outside, "master", BRIDGE]);
  await must(["ip", "link", "set", outside, "up"]);
}

/** Unplugs the host's cable (its processes keep running, and nothing reaches them) or plugs it back. */
export async function setLink(name: string, state: "up" | "down"): Promise<void> {
  await must(["ip", "link", "set", linkOf(name), state]);
}

export async function linkState(name: string): Promise<"up" | "down" | "absent"> {
  const ran = await run(["ip", "-o", "link", "show", linkOf(name)]);
  if (ran.code !== 0) return "absent";
  // "<BROADCAST,MULTICAST,UP,LOWER_UP>": UP is the administrative state that setLink changes
  return /<[^>]*\bUP\b[^>]*>/.test(ran.stdout) ? "up" : "down";
}

/** Every namespace this made (by its prefix), the running topology's or a crashed one's. */
export async function ourNamespaces(): Promise<string[]> {
  const ran = await run(["ip", "netns", "list"]);
  return ran.stdout
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((ns) => ns.startsWith(PREFIX));
}

/** Every link in this namespace with the prefix: the bridge and the outer ends of the veth pairs. */
export async function ourLinks(): Promise<string[]> {
  const ran = await run(["ip", "-o", "link", "show"]);
  return ran.stdout
    .split("\n")
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? "")
    .filter((link) => link.startsWith(PREFIX));
}

/** A route to SUBNET that is not ours would make the hosts unreachable, or shadow another network. */
export async function subnetInUse(): Promise<string | undefined> {
  const ran = await run(["ip", "-o", "route", "show", SUBNET]);
  const line = ran.stdout.trim();
  return line && !line.includes(BRIDGE) ? line : undefined;
}

/** Removes namespaces, then links (a veth's qdisc goes with it); a name already gone is fine. */
export async function removeNetwork(): Promise<string[]> {
  const problems: string[] = [];
  for (const ns of await ourNamespaces()) {
    const ran = await run(["ip", "netns", "del", ns]);
    if (ran.code !== 0) problems.push(`ip netns del ${ns}: ${ran.stderr.trim()}`);
  }
  // deleting a namespace deletes the veth end in it, and with it the pair; the bridge is left
  for (const link of await ourLinks()) {
    const ran = await run(["ip", "link", "del", link]);
    if (ran.code !== 0 && (await ourLinks()).includes(link)) {
      problems.push(`ip link del ${link}: ${ran.stderr.trim()}`);
    }
  }
  return problems;
}

export const linkDown = (name: string) => setLink(name, "down");
export const linkUp = (name: string) => setLink(name, "up");
