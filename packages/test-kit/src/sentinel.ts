import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { endWithTests } from "./end-with-tests.js";
import { freePort } from "./ports.js";

export interface TestSentinel {
  /** The primary group's name the Sentinels watch (REDIS_SENTINEL_NAME). */
  name: string;
  /** `127.0.0.1:port,…`: the three Sentinels (REDIS_SENTINELS). */
  sentinels: string;
  /** What both Redis servers and the three Sentinels ask for (REDIS_PASSWORD). */
  password: string;
  /** The port of the server the Sentinels name as the primary now. */
  primaryPort: () => Promise<number>;
  /** SIGKILLs the server that is the primary now; returns its port. */
  killPrimary: () => Promise<number>;
  /** SIGKILLs the first of the three Sentinels (the one clients ask first); returns its port. */
  killSentinel: () => Promise<number>;
  /** Resolves with the new primary's port once the Sentinels name another one than `oldPort`. */
  failedOver: (oldPort: number, timeoutMs?: number) => Promise<number>;
  stop: () => Promise<void>;
}

export type SentinelOrReason =
  { sentinel: TestSentinel; skipped?: undefined } | { sentinel?: undefined; skipped: string };

const NAME = "zto";

/**
 * A throwaway Redis Sentinel setup: a primary, one replica, and three `redis-sentinel` processes that
 * watch them, on free ports, in one temporary folder. The servers and the Sentinels ask for one
 * random password, as a deployment's should: a Sentinel that answers anyone tells anyone where the
 * primary is, and takes SENTINEL commands (a forced failover) from anyone.
 * The Sentinels give up on a primary after 1 s of silence, so a failover takes a few seconds.
 * Everything is killed when the test process ends, even before `stop()`.
 */
export async function startTestSentinel(): Promise<SentinelOrReason> {
  for (const program of ["redis-server", "redis-sentinel"]) {
    if (spawnSync(program, ["--version"]).error) {
      return { skipped: `${program} is not installed (apt-get install redis-server redis-sentinel)` };
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "zto-sentinel-"));
  const password = randomBytes(24).toString("hex");
  const servers = new Map<number, ChildProcess>();
  const sentinelProcesses: ChildProcess[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) await killAndWait(child);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [primary, replica] = [await freePort(), await freePort()];
    for (const port of [primary, replica]) {
      const config = join(dir, `redis-${port}.conf`);
      const follow = port === replica ? `replicaof 127.0.0.1 ${primary}\n` : "";
      writeFileSync(config, `requirepass ${password}\nmasterauth ${password}\n${follow}`, { mode: 0o600 });
      const args = [config, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir];
      const child = await startProcess("redis-server", [...args, "--save", "", "--appendonly", "no"]);
      servers.set(port, child);
      children.push(child);
    }
    await waitUntil(
      async () => /master_link_status:up/.test(await ask(replica, ["INFO", "replication"], password)),
      "the replica did not sync with the primary",
    );
    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    for (const port of sentinelPorts) {
      const config = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        config,
        [
          `port ${port}`,
          "bind 127.0.0.1",
          `dir ${dir}`,
          // clients authenticate to the Sentinels too, and the Sentinels to each other with it
          `requirepass ${password}`,
          `sentinel monitor ${NAME} 127.0.0.1 ${primary} 2`,
          `sentinel auth-pass ${NAME} ${password}`,
          `sentinel down-after-milliseconds ${NAME} 1000`,
          `sentinel failover-timeout ${NAME} 5000`,
          "",
        ].join("\n"),
        { mode: 0o600 },
      );
      const child = await startProcess("redis-sentinel", [config]);
      sentinelProcesses.push(child);
      children.push(child);
    }
    // a failover needs the Sentinels to know each other and the replica: they learn it from the
    // primary within a few seconds
    await waitUntil(async () => {
      for (const port of sentinelPorts) {
        const master = await ask(port, ["SENTINEL", "MASTER", NAME], password);
        if (field(master, "num-other-sentinels") !== "2" || field(master, "num-slaves") !== "1") return false;
      }
      return true;
    }, "the Sentinels did not find each other and the replica");

    const primaryPort = async () => {
      for (const port of sentinelPorts) {
        const reply = await ask(port, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", NAME], password).catch(
          () => "",
        );
        const found = /\$\d+\r\n(\d+)\r\n$/.exec(reply);
        if (found) return Number(found[1]);
      }
      throw new Error("no Sentinel answers");
    };
    return {
      sentinel: {
        name: NAME,
        sentinels: sentinelPorts.map((port) => `127.0.0.1:${port}`).join(","),
        password,
        primaryPort,
        killPrimary: async () => {
          const port = await primaryPort();
          await killAndWait(servers.get(port)!);
          return port;
        },
        killSentinel: async () => {
          await killAndWait(sentinelProcesses[0]!);
          return sentinelPorts[0]!;
        },
        failedOver: async (oldPort, timeoutMs = 30_000) => {
          let now = oldPort;
          await waitUntil(
            async () => (now = await primaryPort()) !== oldPort,
            "the Sentinels did not fail over",
            timeoutMs,
          );
          return now;
        },
        stop,
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function killAndWait(child: ChildProcess) {
  const gone = once(child, "exit");
  child.kill("SIGKILL");
  await gone;
}

async function startProcess(program: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
  endWithTests(child);
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${program} did not start:\n${log}`)), 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (/Ready to accept connections|\+monitor master/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${program} exited with ${code}:\n${log}`));
    });
  });
  return child;
}

/** One command over a fresh connection (AUTH first with `password`); the raw RESP reply. */
function ask(port: number, command: string[], password?: string): Promise<string> {
  const encode = (words: string[]) =>
    `*${words.length}\r\n` + words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join("");
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    let done: NodeJS.Timeout | undefined;
    socket.setTimeout(2_000, () => socket.destroy(new Error(`no answer from port ${port}`)));
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      // the last reply is complete once a full array or bulk string has arrived; a short pause is simpler
      clearTimeout(done);
      done = setTimeout(() => socket.end(), 50);
    });
    socket.on("close", () => resolve(password ? reply.replace(/^\+OK\r\n/, "") : reply));
    socket.write((password ? encode(["AUTH", password]) : "") + encode(command));
  });
}

/** A field of a RESP map sent as a flat array of bulk strings (SENTINEL MASTER's reply). */
const field = (reply: string, name: string) =>
  new RegExp(`\\$\\d+\\r\\n${name}\\r\\n\\$\\d+\\r\\n([^\\r]*)\\r\\n`).exec(reply)?.[1];

async function waitUntil(ready: () => Promise<boolean>, failure: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(failure);
    await sleep(200);
  }
}
