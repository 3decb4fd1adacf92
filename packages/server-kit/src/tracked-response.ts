import {
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
} from "node:http";
import type { Socket } from "node:net";

/** How many responses a connection owes: counted on the socket, so a request costs no listener. */
const owed = Symbol("responses owed");
type Connection = Socket & { [owed]?: number };

export interface ResponseTracking {
  /** True once shutdown has begun: every response written from then on closes its connection. */
  closing: () => boolean;
}

/**
 * Keeps count of the responses not finished yet, per connection. A connection is counted from its
 * `connection` event to its `close`; each response on it adds one when it is created and takes it
 * back when Node detaches it from the socket, its last byte written. One listener per connection,
 * none per request: under keep-alive a connection carries many requests, and the count is read
 * once, at shutdown.
 */
export function inFlightCounter() {
  const open = new Set<Connection>();
  return {
    /** Give it the server's `connection` events. */
    connected(socket: Socket) {
      open.add(socket);
      socket.once("close", () => {
        open.delete(socket);
        (socket as Connection)[owed] = 0; // a response cut off with its connection is owed no more
      });
    },
    /** Responses begun and not finished, on every open connection. */
    get size() {
      let total = 0;
      for (const socket of open) total += socket[owed] ?? 0;
      return total;
    },
  };
}

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

/**
 * The server's own response class (node:http's `ServerResponse` option): it adds `headers` to every
 * response as its head is written, and counts the responses each connection owes, so that shutdown
 * knows what is in flight and closes a connection once it owes nothing. Doing this in the class,
 * not in a "request" listener with `res.setHeader()` and `res.once()`, saves most of what it costs a
 * request: `writeHead` gets one list that Node writes as it is, instead of merging headers set one
 * by one before it (measured in docs/framework-cost.md).
 */
export function trackedResponse(
  headers: Readonly<Record<string, string>>,
  { closing }: ResponseTracking,
): typeof ServerResponse {
  const extra = Object.entries(headers);

  return class TrackedResponse<
    Request extends IncomingMessage = IncomingMessage,
  > extends ServerResponse<Request> {
    constructor(req: Request) {
      super(req);
      const connection = req.socket as Connection;
      connection[owed] = (connection[owed] ?? 0) + 1;
    }

    // Node calls this once the response is finished, before the connection takes the next request
    override detachSocket(socket: Socket): void {
      super.detachSocket(socket);
      const connection = socket as Connection;
      if (!connection[owed]) return; // counted off already: the connection closed first
      connection[owed]--;
      // during shutdown, a connection that owes nothing more has nothing left to do
      if (connection[owed] === 0 && closing()) socket.end();
    }

    override writeHead(statusCode: number, reasonOrHeaders?: string | Headers, maybeHeaders?: Headers): this {
      if (typeof reasonOrHeaders === "string") {
        return super.writeHead(statusCode, reasonOrHeaders, withHeaders(maybeHeaders, extra, closing()));
      }
      return super.writeHead(statusCode, withHeaders(reasonOrHeaders, extra, closing()));
    }
  };
}

/**
 * The response's own headers win: a route may set its own Content-Security-Policy, say. The result
 * is Node's flat array form, [name, value, name, value, …]: building it costs a tenth of what
 * copying the route's header object and adding keys to it does.
 */
function withHeaders(given: Headers | undefined, extra: [string, string][], close: boolean): Headers {
  const all: OutgoingHttpHeader[] = [];
  if (Array.isArray(given)) all.push(...given);
  else for (const name in given) all.push(name, given[name] as OutgoingHttpHeader);
  for (const [name, value] of extra) if (!has(all, name)) all.push(name, value);
  if (close) all.push("Connection", "close");
  return all;
}

const has = (flat: OutgoingHttpHeader[], name: string) => {
  for (let i = 0; i < flat.length; i += 2) {
    const other = flat[i] as string;
    if (other.length === name.length && other.toLowerCase() === name.toLowerCase()) return true;
  }
  return false;
};
