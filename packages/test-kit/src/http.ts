import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface OnceOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The local address to connect from, e.g. 127.0.0.2 to look like another machine on loopback. */
  localAddress?: string;
  timeoutMs?: number;
  /** For an https:// URL: the certificate to trust (a self-signed one), in PEM. */
  ca?: string;
}

/**
 * One request on a fresh connection that is closed afterwards (no keep-alive pool), so every call
 * is a new connection the server side has to accept: what a load test needs to see how connections
 * are spread over workers, and what a test needs to send from a chosen local address.
 */
export function requestOnce(url: string, options: OnceOptions = {}): Promise<Reply> {
  const { method = "GET", headers = {}, body, localAddress, timeoutMs = 10_000, ca } = options;
  const request = url.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        localAddress,
        ca,
        headers: {
          connection: "close",
          ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}
