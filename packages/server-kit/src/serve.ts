import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import { Server as NetServer } from "node:net";
import { SECURITY_HEADERS } from "./security-headers.js";
import { inFlightCounter, trackedResponse } from "./tracked-response.js";

export interface ServeOptions {
  /** A Hono app's `fetch`. */
  fetch: Parameters<typeof serve>[0]["fetch"];
  port: number;
  hostname: string;
  /** Runs once the port is bound; `url` is where the server answers. */
  onListen?: (url: string) => void;
  /** Runs after the last in-flight request has finished: close pools and files here. */
  onClose?: () => void | Promise<void>;
  /** How long in-flight requests may take to finish before the process gives up on them. */
  drainTimeoutMs?: number;
  /**
   * How long idle keep-alive connections stay open once shutdown starts. By default a little over
   * the server's keep-alive timeout: Node closes idle sockets at that timeout by itself, and clients
   * that honour the `Keep-Alive: timeout=5` it advertises stop reusing a socket before then.
   */
  idleGraceMs?: number;
  /** Headers every response carries, whatever route or error produced it. */
  headers?: Readonly<Record<string, string>>;
  /** Which signals start a graceful shutdown. */
  signals?: readonly NodeJS.Signals[];
  /** Called when shutdown is over, with the exit code; `process.exit` by default. */
  exit?: (code: number) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish, closes keep-alive sockets, runs onClose. */
  close: () => Promise<void>;
}

const netClose = NetServer.prototype.close;

/**
 * Serves a fetch handler, with the security headers on every response, and owns the process
 * life-cycle: on SIGTERM or SIGINT it stops accepting connections, lets every in-flight request
 * finish (answering it with `Connection: close`), leaves idle keep-alive sockets to the advertised
 * keep-alive timeout, runs `onClose` and exits 0. A second signal exits at once with code 1.
 */
export function serveGracefully(options: ServeOptions): Promise<RunningServer> {
  const {
    signals = ["SIGTERM", "SIGINT"],
    drainTimeoutMs = 10_000,
    exit = (code) => process.exit(code),
    headers = SECURITY_HEADERS,
  } = options;
  const inFlight = inFlightCounter();
  let closing: Promise<void> | undefined;
  // every response carries `headers`, and from shutdown on tells its client the connection is going away
  const ServerResponse = trackedResponse(headers, { closing: () => closing !== undefined });

  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: options.fetch,
      port: options.port,
      hostname: options.hostname,
      serverOptions: { ServerResponse },
    }) as Server;
    server.on("connection", inFlight.connected);

    const close = () => {
      closing ??= new Promise<void>((done) => {
        // http.Server#close would also drop idle keep-alive sockets at once, racing any request a
        // client has already put on the wire: a reset it cannot tell from a crash. So stop
        // accepting first, answer what still arrives on open sockets with `Connection: close`,
        // and let idle sockets end by the keep-alive timeout the clients were told about.
        netClose.call(server, () => done());
        const idleGraceMs = options.idleGraceMs ?? server.keepAliveTimeout + 1_000;
        setTimeout(() => server.closeIdleConnections(), idleGraceMs).unref();
      }).then(() => options.onClose?.());
      return closing;
    };

    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) {
        console.error(`${signal} again: exiting now`);
        exit(1);
        return;
      }
      console.log(`${signal}: finishing ${inFlight.size} in-flight request(s), then exiting`);
      const timer = setTimeout(() => {
        console.error(`drain took over ${drainTimeoutMs} ms: closing the remaining connections`);
        server.closeAllConnections();
        exit(1);
      }, drainTimeoutMs);
      timer.unref();
      close().then(
        () => {
          clearTimeout(timer);
          exit(0);
        },
        (error: unknown) => {
          console.error("shutdown failed:", error);
          exit(1);
        },
      );
    };

    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      for (const signal of signals) process.on(signal, onSignal);
      const address = server.address();
      const boundPort = typeof address === "object" && address ? address.port : options.port;
      const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
      const url = `http://${host}:${boundPort}`;
      options.onListen?.(url);
      resolve({ server, url, close });
    });
  });
}
