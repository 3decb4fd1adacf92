import { createServer, connect, type Server, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { inProcess } from "./client.js";
import { expectError } from "./todo-shape.js";
import type { TodoStoreLike } from "./todo-store.js";

export interface MongoDownOptions<Store extends TodoStoreLike> {
  /** The MongoDB-wire server under test. */
  url: string;
  /** The stage's store on database `dbName` of the server at `url`. */
  openStore: (url: string, dbName: string) => Promise<Store>;
  app: (store: Store) => Promise<Parameters<typeof inProcess>[0]> | Parameters<typeof inProcess>[0];
  dbName: string;
}

/**
 * A connection lost while the app runs: the store reaches the server through a TCP link that the
 * test cuts (open connections reset, new ones refused) and then mends on the same port.
 */
export function describeMongoDown<Store extends TodoStoreLike>(
  label: string,
  { url, openStore, app, dbName }: MongoDownOptions<Store>,
) {
  const target = singleHost(url);
  if (typeof target === "string") console.log(`skipped: ${label}, a lost connection: ${target}`);

  describe.skipIf(typeof target === "string")(`${label}: when the connection to the server is lost`, () => {
    it("answers 503 with Retry-After, /healthz 503, and serves again once the server is back", async () => {
      const { host, port, viaLink } = target as Exclude<typeof target, string>;
      const link = await cuttableLink(host, port);
      const store = await openStore(viaLink(link.port, dbName), dbName);
      try {
        const client = inProcess(await app(store));
        const created = await client.request("/todo", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ content: "written before the link went down" }),
        });
        expect(created.status).toBe(201);
        const { id } = (await created.json()) as { id: string };

        await link.cut();
        const [read, finish, health] = await Promise.all([
          client.request(`/todo/${id}`),
          client.request(`/todo/${id}/finish`, { method: "PUT" }),
          client.request("/healthz"),
        ]);
        for (const res of [read, finish]) {
          expect(res.headers.get("retry-after")).toBe("1");
          await expectError(res, 503, /unavailable/);
        }
        expect(health.status).toBe(503);
        expect(await health.json()).toMatchObject({ status: "unavailable" });

        await link.mend();
        const deadline = Date.now() + 20_000;
        let res = await client.request(`/todo/${id}`);
        while (res.status === 503 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
          res = await client.request(`/todo/${id}`);
        }
        expect(res.status).toBe(200);
        // the finish that answered 503 wrote nothing
        expect(await res.json()).toMatchObject({ id, is_finished: false, finished_at: null });
      } finally {
        await store.close();
        await link.cut();
      }
    }, 60_000);
  });
}

/**
 * Host and port of a one-host mongodb:// URL, and the same URL through a link on another port;
 * or why the link cannot stand in for it (DNS seed lists, several hosts, TLS names).
 */
function singleHost(url: string) {
  const [, auth = "", hosts = "", path = "", query = ""] =
    /^mongodb:\/\/([^@/]*@)?([^/?]*)(\/[^?]*)?(\?.*)?$/.exec(url) ?? [];
  const [, host, port = "27017"] = /^([^,:]+)(?::(\d+))?$/.exec(hosts) ?? [];
  if (!host)
    return `a TCP link stands in for one mongodb://host:port, not ${url.replace(/\/\/[^@/]*@/, "//…@")}`;
  const options = new URLSearchParams(query.slice(1));
  if (/^(true|yes)$/i.test(options.get("tls") ?? options.get("ssl") ?? "")) {
    return "a TCP link on 127.0.0.1 cannot stand in for a TLS server's name";
  }
  // alone: without it the driver would find the other members of a replica set and go around the link
  options.set("directConnection", "true");
  // credentials are checked against the database in the path unless authSource says otherwise
  if (auth && !options.has("authSource")) options.set("authSource", path.slice(1) || "admin");
  return {
    host,
    port: Number(port),
    viaLink: (linkPort: number, dbName: string) =>
      `mongodb://${auth}127.0.0.1:${linkPort}/${dbName}?${options}`,
  };
}

async function cuttableLink(host: string, port: number) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (on: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer((incoming) => {
        const outgoing = connect(port, host);
        for (const [from, to] of [
          [incoming, outgoing],
          [outgoing, incoming],
        ] as const) {
          sockets.add(from);
          from.pipe(to);
          from.on("error", () => to.destroy());
          from.on("close", () => {
            sockets.delete(from);
            to.destroy();
          });
        }
      });
      server.once("error", reject);
      server.listen(on, "127.0.0.1", () => {
        const address = server!.address();
        resolve(typeof address === "object" && address ? address.port : on);
      });
    });
  const linkPort = await listen(0);
  return {
    port: linkPort,
    cut: async () => {
      for (const socket of sockets) socket.destroy();
      if (server?.listening) await new Promise((resolve) => server!.close(resolve));
    },
    mend: () => listen(linkPort),
  };
}
