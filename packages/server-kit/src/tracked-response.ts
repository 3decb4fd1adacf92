import {
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
} from "node:http";

export interface ResponseTracking {
  /** Responses not closed yet. */
  inFlight: Set<ServerResponse>;
  /** True once shutdown has begun: every response written from then on closes its connection. */
  closing: () => boolean;
}

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

/**
 * The server's own response class (node:http's `ServerResponse` option): it adds `headers` to every
 * response as its head is written, and keeps the set of responses in flight for graceful shutdown.
 * Doing this in the class, not in a "request" listener with `res.setHeader()` and `res.once()`,
 * saves most of what the headers cost a request: `writeHead` gets one list that Node writes as it
 * is, instead of merging headers set one by one before it (measured in docs/framework-cost.md).
 */
export function trackedResponse(
  headers: Readonly<Record<string, string>>,
  { inFlight, closing }: ResponseTracking,
): typeof ServerResponse {
  const extra = Object.entries(headers);
  function forget(this: ServerResponse) {
    inFlight.delete(this);
    // during shutdown, a connection whose last response is done has nothing left to do
    if (closing() && ![...inFlight].some((other) => other.socket === this.socket)) this.socket?.end();
  }

  return class TrackedResponse<
    Request extends IncomingMessage = IncomingMessage,
  > extends ServerResponse<Request> {
    constructor(req: Request) {
      super(req);
      inFlight.add(this);
      this.on("close", forget);
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
